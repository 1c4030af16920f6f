"""Care visits (走访 / 探访): levels and cadence, visits and attempts, today's round, the figures.

``cadence`` holds the one definition of when a visit is due; the other modules read and write
the records it follows from, with the permission and scope checks of every service.
"""
