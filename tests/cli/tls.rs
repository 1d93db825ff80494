//! `--ca-cert` against a real TLS server on loopback: a private CA made for the test signs
//! the server's certificate; fgs trusts it only when told to.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use crate::common::*;

struct Pki {
    ca_pem: String,
    server_config: Arc<rustls::ServerConfig>,
}

/// A CA, and a certificate for `localhost` that it signed.
fn private_pki() -> Pki {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "fgs test CA");
    let ca_key = rcgen::KeyPair::generate().expect("a CA key");
    let ca = ca_params.self_signed(&ca_key).expect("a CA certificate");
    let server_params =
        rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("server params");
    let server_key = rcgen::KeyPair::generate().expect("a server key");
    let server = server_params
        .signed_by(&server_key, &ca, &ca_key)
        .expect("a server certificate");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![server.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
        )
        .expect("a server config");
    Pki {
        ca_pem: ca.pem(),
        server_config: Arc::new(server_config),
    }
}

/// Serve one HTTPS connection: read one request, answer with the v1 envelope around
/// `result`. The URL to use is returned.
fn https_server(config: Arc<rustls::ServerConfig>, result: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let port = listener.local_addr().expect("an address").port();
    std::thread::spawn(move || {
        let Ok((tcp, _)) = listener.accept() else {
            return;
        };
        let connection = rustls::ServerConnection::new(config).expect("a TLS connection");
        let mut tls = rustls::StreamOwned::new(connection, tcp);
        let mut reader = BufReader::new(&mut tls);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return; // the client gave up (it did not trust us)
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let envelope = format!(
            "{{\"request_id\":\"tls-1\",\"result\":{},\"log\":\"\",\"status\":200}}",
            json_string(result)
        );
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{envelope}",
            envelope.len()
        );
        let _ = tls.write_all(answer.as_bytes());
        let _ = tls.flush();
        tls.conn.send_close_notify();
        let _ = tls.flush();
    });
    format!("https://localhost:{port}")
}

#[test]
fn a_private_ca_given_with_ca_cert_is_trusted() {
    let pki = private_pki();
    let endpoint = https_server(pki.server_config.clone(), "over tls");
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let ca = write_file(&home.path().join("ca.pem"), &pki.ca_pem);
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &endpoint,
            "--ca-cert",
        ])
        .arg(&ca)
        .run();
    r.code(0);
    r.stdout("over tls\n");
}

#[test]
fn the_ca_cert_also_comes_from_env_and_the_config_file() {
    let pki = private_pki();
    let endpoint = https_server(pki.server_config.clone(), "from env");
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let ca = write_file(&home.path().join("ca.pem"), &pki.ca_pem);
    cmd.env("FGS_CA_CERT", &ca);
    let r = cmd
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .run();
    r.code(0);
    r.stdout("from env\n");

    let endpoint = https_server(pki.server_config, "from config");
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_file(&home.path().join("xdg-config/fgs/ca.pem"), &pki.ca_pem);
    write_config(&home, "ca_cert = \"ca.pem\"\n");
    let r = cmd
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .run();
    r.code(0);
    r.stdout("from config\n");
}

#[test]
fn without_the_private_ca_the_server_is_not_trusted() {
    let pki = private_pki();
    let endpoint = https_server(pki.server_config, "never");
    let r = Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .run();
    r.code(6);
    r.stdout("");
    r.stderr_contains("could not reach the service");
    assert!(
        r.stderr.to_lowercase().contains("certificate"),
        "{}",
        r.stderr
    );
}
