"""The runtimes: executors of the IR levels, simulators of the generated code, the onnxruntime reference."""
