"""The peers bnnc is measured against: hls4ml, Larq Compute Engine, a bit-packed numpy reference."""
