"""Reminder e-mails sent by Celery: seminars, data deadlines and programme milestones.

`scanner` decides what is due at a moment, `delivery` sends one reminder exactly once (claim →
send → mark), `emails` and `ics` write the messages, `preferences` holds each person's choices.
The tasks in `reminders/tasks.py` tie them to Celery beat.
"""
