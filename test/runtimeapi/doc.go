// Package runtimeapi serves the AWS Lambda Runtime API (2018-06-01) on
// loopback and runs a compiled Lambda binary (a provided.al2023 "bootstrap")
// against it, so tests can invoke the real binary and inspect its responses,
// errors, logs, init time and peak memory.
//
// It covers what aws-lambda-go uses: GET invocation/next (long poll),
// POST invocation/{id}/response, POST invocation/{id}/error and
// POST init/error. Concurrency is one invocation at a time, as in Lambda.
package runtimeapi
