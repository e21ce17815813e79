"""Words the tests expect in each language, where more than one test area checks them."""

# The launcher's own label (the store's label, when set, is shown as written).
LAUNCHER = {"en": "Ask Aurora", "fr": "Demander à Aurora", "de": "Aurora fragen",
            "es": "Pregunta a Aurora"}
