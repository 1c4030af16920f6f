"""Walk-in requests: the queue (F4), a request's detail, logging one (F6), its actions."""
