//! One HTTP exchange over a plain TCP socket, for tests that talk to the real binary without
//! an HTTP client: the request as written, the whole answer (status line, headers, body).

use std::io::{Read, Write};

pub fn exchange(addr: &str, request: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}
