//! The HTTP client's own failures: a CA bundle that cannot be used is the user's (exit 2),
//! whichever command builds the client, and nothing is sent.

use crate::common::*;
use httpmock::MockServer;

/// PEM framing around bytes that are no certificate: it reads as PEM, and fails only when
/// the client is built.
const UNUSABLE_CA: &str = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

#[test]
fn a_ca_bundle_whose_certificate_cannot_be_used_is_exit_2() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    for command in [vec!["invoke", URN], vec!["list"], vec!["info", URN]] {
        let mut cmd = Fgs::new();
        let ca = write_file(&cmd.home().path().join("ca.pem"), UNUSABLE_CA);
        let r = cmd
            .args(&command)
            .args([
                "--token",
                TOKEN,
                "--endpoint",
                &server.base_url(),
                "--project-id",
                PROJECT,
                "--region",
                "cn-north-4",
                "--ca-cert",
            ])
            .arg(&ca)
            .run();
        assert_eq!(r.code, Some(2), "{command:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(
                "error: the CA certificate file holds a certificate that cannot be used\n"
            ),
            "{command:?}: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "{command:?}");
    }
    sent.assert_calls(0);
}
