// Package moto runs a local moto_server (moto 5.2.1, IAM and S3) for tests
// and gives them an aws.Config, child-process environment and S3 helpers
// that point at it.
//
// One server per test package, started by the first test that needs it, is the intended use:
//
//	var motoSrv moto.Lazy
//
//	func TestMain(m *testing.M) { os.Exit(motoSrv.Main(m)) }
//
// Tests then call motoSrv.Get(t), and Reset(ctx) on the server when they need a clean account. A single
// test that wants its own server can call StartT(t) instead.
package moto
