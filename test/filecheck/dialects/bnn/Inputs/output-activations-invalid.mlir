// The verifier errors of bnn.softmax, bnn.log_softmax and bnn.sigmoid (run from
// ../output-activations.mlir).

func.func @softmax_of_integers(%x: tensor<1x10xi32>) {
  // CHECK: Operation does not verify: input and result must be real-valued
  %0 = bnn.softmax %x : tensor<1x10xi32> -> tensor<1x10xf32>
  func.return
}

// -----

func.func @log_softmax_shape(%x: tensor<1x10xf32>) {
  // CHECK: Operation does not verify: result shape [1, 9] differs from input shape [1, 10]
  %0 = bnn.log_softmax %x : tensor<1x10xf32> -> tensor<1x9xf32>
  func.return
}

// -----

func.func @sigmoid_rank1(%x: tensor<10xf32>) {
  // CHECK: Operation does not verify: expected (batch, ..., classes) values of rank 2 or more
  %0 = bnn.sigmoid %x : tensor<10xf32> -> tensor<10xf32>
  func.return
}

// -----

func.func @sigmoid_to_bits(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: input and result must be real-valued
  %0 = bnn.sigmoid %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return
}
