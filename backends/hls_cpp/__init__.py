"""The `hls-cpp` backend: an `hls.top` printed as a Vivado HLS C++ project."""
