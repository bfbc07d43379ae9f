"""The Verilog RTL backend: a folded, sized `df.graph` printed as a streaming accelerator.

`library/` holds the engines (plain Verilog-2005), `engines.py` maps each `df` op to an engine
instance and its memory files, `emitter.py` prints the top module and the project, and
`testbench.py` the Verilator and Icarus harnesses that `bnnc.runtime.simulators.rtlsim` runs.
"""
