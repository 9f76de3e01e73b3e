"""Defensity College: hbo and wo students working part-time for Defensie. The track is small, so it lives inside
intake (its model is `intake.models.DefensityStudent`) rather than as an app of its own; it uses intake only the
way the Dienjaar and NWT apps do, through the pipeline's track checks and the track panels."""
