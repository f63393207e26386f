#!/usr/bin/env bash
# setup-gpu.sh: a software Vulkan driver, so hetsched's GPU path (onnxruntime's WebGPU execution
# provider, Dawn over Vulkan) runs on a machine without a GPU: CI, laptops, containers.
#
# On a real NVIDIA machine you do not need this: install NVIDIA's driver (it ships the NVIDIA Vulkan
# ICD, /usr/share/vulkan/icd.d/nvidia_icd.json) and the WebGPU EP uses the GPU through it. This
# software fallback is only for running the GPU path without a GPU. It is SwiftShader, a CPU
# implementation of Vulkan: about 100 times slower than onnxruntime's CPU EP, and its results are
# not always the CPU EP's (see probeGpuOperators in src/profile). Use it to test placement, copies
# and accuracy checks; never read its timings as a GPU's.
#
# What it does, idempotently (run it again and it only checks):
#   1. installs the Debian packages libvulkan1 (the Vulkan loader Dawn opens) and chromium-common
#      (which ships SwiftShader: /usr/lib/chromium/libvk_swiftshader.so and its ICD manifest) with
#      apt-get --no-install-recommends, through sudo when not run as root; skipped when installed;
#   2. prints the VK_DRIVER_FILES line to export. hetsched sets it by itself when it finds SwiftShader
#      and no hardware Vulkan driver (applyVulkanEnvironment in src/profile), but other programs and
#      older hetsched builds need it in the environment.
#
# Debian's lavapipe (mesa-vulkan-drivers) is too old for Dawn on bookworm ("shaderUniform*ArrayDynamicIndexing
# required"), hence SwiftShader. Ubuntu ships Chromium as a snap, without this package: there, use a
# Debian container, or point VK_DRIVER_FILES at any SwiftShader build's vk_swiftshader_icd.json.
#
# Usage: scripts/setup-gpu.sh        Exit status: 0 when the driver is in place, 1 otherwise.
set -euo pipefail

readonly PACKAGES=(libvulkan1 chromium-common)
readonly ICD=/usr/lib/chromium/vk_swiftshader_icd.json

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
  done
elif [[ ! -f $ICD ]]; then
  missing=("${PACKAGES[@]}")
fi

if ((${#missing[@]} == 0)); then
  echo "setup-gpu: nothing to install (${PACKAGES[*]} already installed, or $ICD present)"
else
  if ! command -v apt-get >/dev/null 2>&1; then
    cat >&2 <<EOF
setup-gpu: apt-get is not available, so ${missing[*]} cannot be installed here.
  This script knows Debian's packages only. Elsewhere, install a Vulkan loader (libvulkan.so.1) and a
  SwiftShader build, then export VK_DRIVER_FILES=/path/to/vk_swiftshader_icd.json. On a machine with a
  GPU, install its vendor's Vulkan driver instead.
EOF
    exit 1
  fi
  sudo=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup-gpu: not root and no sudo: run as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "setup-gpu: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    echo "setup-gpu: apt-get could not install ${missing[*]} (chromium-common is a Debian package; see the notes at the top of $0)" >&2
    exit 1
  fi
fi

if [[ ! -f $ICD ]]; then
  echo "setup-gpu: $ICD is missing although the packages are installed; this chromium-common does not ship SwiftShader" >&2
  exit 1
fi

echo "setup-gpu: SwiftShader (software Vulkan) is ready. Export this before starting hetsched:"
echo "export VK_DRIVER_FILES=$ICD"
