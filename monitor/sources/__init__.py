"""Sources turn a place (a fixtures directory, a feed) into :class:`RawItem` objects."""
