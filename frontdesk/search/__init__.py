"""Finding residents from what is typed into a search box: a name, pinyin, a phone or ID-number
fragment, an address, a household number, filter words.

Several services ask it: the residents' own search (``frontdesk.residents.search``), a
request's reporter and a booking's booker, the audit log's person filter. It sits below them
all and imports none of them: ``query`` reads the typed text (plain Python), ``finder`` runs
the look-ups on the search index (``frontdesk.db.search``) and ranks the answers. Import
from the two modules: ``query`` alone loads no data layer (the desk's state uses its filters).
"""
