# English date and time formats for pages and messages: "Wednesday, December 2, 2026"
# and "8:00 p.m." (a time always shows its minutes, so 8 p.m. and 8:30 p.m. line up).
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i a"
