# French date and time formats as written in Canada: "mercredi 2 décembre 2026"
# and "19 h 30".
DATE_FORMAT = "j F Y"
TIME_FORMAT = r"H \h i"
