"""The bottom layer: numpy semantics shared by executors, passes and backends (bit packing, arithmetic)."""
