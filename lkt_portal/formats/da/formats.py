"""Danish dates as Retskrivningsordbogen writes them: "1. december 2026", "1. dec. 2026"."""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "j. N Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = "j. N Y H.i"
TIME_FORMAT = "H.i"
