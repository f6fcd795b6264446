"""Reading a file of team data (CSV or Excel) and checking every row before anything is written.

The flow: `preview.read_upload` turns an uploaded file into `Row`s, each either valid (new, a
correction or unchanged) or carrying Danish messages; `checking.check_rows` can be run again at
confirmation against the database as it is then; `writing.measurements_import` writes all rows in
one transaction, or none. The rules for a single figure live in `Measurement.clean`; this package
only reads files (`table`, `columns`, `cells`, `rows`), finds teams and indicators (`lookup`), and
spots what only the file as a whole can show (duplicate rows).
"""
