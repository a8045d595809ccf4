#!/usr/bin/env bash
# Shared by the scripts in this folder; source it, don't run it.

# Makes sure the C libraries the package builds on are installed, with their headers and pkg-config files: libzmq
# (Debian's libzmq3-dev) and libprimesieve (libprimesieve-dev, the `primes` kernel's sieve). Installs them when we can.
ensure_system_libraries() {
    if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libzmq primesieve 2>/dev/null; then
        return 0
    fi
    local install=(apt-get install -y --no-install-recommends libzmq3-dev libprimesieve-dev pkg-config)
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing libzmq3-dev (ZeroMQ 4.3), libprimesieve-dev and pkg-config..." >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive "${install[@]}" -qq >&2
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "Installing libzmq3-dev (ZeroMQ 4.3), libprimesieve-dev and pkg-config with sudo..." >&2
        sudo apt-get update -qq >&2
        sudo DEBIAN_FRONTEND=noninteractive "${install[@]}" -qq >&2
    else
        echo "error: libzmq3-dev or libprimesieve-dev is not installed and this user cannot install them." >&2
        echo "Run:  sudo apt-get update && sudo ${install[*]}" >&2
        exit 1
    fi
}

# Makes sure Python can import pyzmq: the bench's reference pipeline and a test's peer written from topology.md use it.
ensure_pyzmq() {
    if ! python3 -c "import zmq" 2>/dev/null; then
        echo "Installing pyzmq (python3 -m pip install pyzmq)..." >&2
        python3 -m pip install --quiet pyzmq >&2 || {
            echo "error: pyzmq is missing and pip could not install it; run: python3 -m pip install pyzmq" >&2
            exit 1
        }
    fi
}

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: swift is not on PATH; install Swift 6 from swift.org and try again." >&2
        exit 1
    fi
}

# Builds the three executables in release mode and prints the folder that holds them.
build_release() {
    local root=$1
    local log
    log=$(mktemp)
    echo "Building release binaries (the first build takes a few minutes)..." >&2
    if ! swift build --package-path "$root" -c release >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "error: the build failed; see above." >&2
        exit 1
    fi
    rm -f "$log"
    swift build --package-path "$root" -c release --show-bin-path
}
