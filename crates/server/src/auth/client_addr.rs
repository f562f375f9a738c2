//! The client's address, for the sign-in limits: the TCP peer, or — only when the peer is a
//! configured trusted proxy (`--trusted-proxy CIDR`) — the nearest address in
//! `X-Forwarded-For` that is not itself a trusted proxy. Anyone can write that header; only
//! the proxy's own entry can be believed.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut ip = peer.ip();
    if !is_trusted(&ip) {
        return ip;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    // Right to left: each proxy appends the address it saw.
    for entry in forwarded.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(next) => {
                ip = next;
                if !is_trusted(&next) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    ip
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap()];
        let h = headers("198.51.100.1, 192.0.2.7");
        assert_eq!(
            client_ip(proxy, &h, &trusted),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(stranger, &h, &trusted), stranger.ip());
        assert_eq!(client_ip(proxy, &h, &[]), proxy.ip());
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy.ip());
        // Two proxies in a row: the first untrusted address from the right.
        let two: Vec<IpNet> = vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        let h = headers("192.0.2.7, 10.1.2.3");
        assert_eq!(
            client_ip(proxy, &h, &two),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }
}
