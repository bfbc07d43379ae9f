"""The analyses of a `df` graph: the cost model, the FIFO (cycle) model, folding, engine names."""
