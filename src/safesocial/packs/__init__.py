"""Stage 3, rule packs: loading them, what each rule reads, their schemas' safety, their cases."""
