# Punjabi date and time formats: "2 ਦਸੰਬਰ 2026" and a 24-hour clock ("19:30"),
# since Django's day-part words (ਸਵੇਰ, ਸ਼ਾਮ) would call 1 p.m. evening.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
# Numbers grouped as in India and Punjab: 1,200 and 12,34,567.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
