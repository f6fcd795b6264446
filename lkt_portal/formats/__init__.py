"""One date style per language (FORMAT_MODULE_PATH): templates name a format, never a pattern.

    DATE_FORMAT            1. december 2026        1 December 2026
    SHORT_DATE_FORMAT      1. dec. 2026            1 Dec 2026
    YEAR_MONTH_FORMAT      december 2026           December 2026
    MONTH_DAY_FORMAT       1. december             1 December
    DATETIME_FORMAT        1. december 2026 kl. 09.30   1 December 2026, 09:30
    SHORT_DATETIME_FORMAT  1. dec. 2026 09.30      1 Dec 2026, 09:30
    TIME_FORMAT            09.30                   09:30

Input formats are Django's own for the language.
"""
