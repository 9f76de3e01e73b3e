from django.core.management.base import BaseCommand

from intake import demo


class Command(BaseCommand):
    help = "Toont de inloggegevens van de demo-accounts."

    def handle(self, *args, **options):
        self.stdout.write("\nDemo-accounts (wachtwoord voor allemaal: %s):" % demo.DEMO_PASSWORD)
        for username, role in demo.demo_logins():
            self.stdout.write(f"  {username:<22} {role}")
        self.stdout.write("")
