"""Simulators of the generated hardware: C simulation of the HLS C++ and RTL simulation."""
