"""What every screen shares: the base screen and modal, forms, pop-ups, keys, the palette."""
