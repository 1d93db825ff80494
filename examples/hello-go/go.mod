module example.com/hello-go

go 1.19

require github.com/opentelekomcloud-community/otc-functiongraph-go-runtime v0.0.0-00010101000000-000000000000

// The runtime library: point this at your copy of the SDK. Here it is fgs's test stand-in,
// which serves the same API and wire protocol.
replace github.com/opentelekomcloud-community/otc-functiongraph-go-runtime => ../../tests/fixtures/go-runtime
