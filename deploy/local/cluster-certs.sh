#!/usr/bin/env bash
# deploy/local/cluster-certs.sh DIR: a throw-away cluster CA and one node certificate (server and client use) for
# Orleans' mutual TLS between the local silos and web hosts (deploy/local-cluster.sh up --tls). Kept if present.
# Generated on this machine into the data folder; never committed. In production use certificates from your own CA.
set -euo pipefail
dir=$1
mkdir -p "$dir"; chmod 700 "$dir"
[ -s "$dir/node.pem" ] && [ -s "$dir/node.key" ] && [ -s "$dir/ca.pem" ] && exit 0
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=EpiGrid local cluster CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=epigrid-node" -keyout node.key -out node.csr 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1\n' >node.ext
openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile node.ext -out node.pem 2>/dev/null
rm -f node.csr node.ext ca.srl
chmod 600 ca.key node.key
echo "Cluster TLS certificates in $dir (CA ca.pem, node node.pem/node.key)"
