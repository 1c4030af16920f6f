"""Room bookings: the rules, one-off bookings, weekly series, closures, check-in, reports.

Every write is one IMMEDIATE transaction in which the rules are checked against what is in the
database at that moment, so two desks booking the same slot at once get exactly one booking and
one clear refusal. Nothing is deleted: cancelling keeps the row with its reason.
"""
