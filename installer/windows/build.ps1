# Build Facilitator for Windows: the one-folder bundle and an Inno Setup installer, in dist\.
#
#     powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
#
# Needs, on Windows 10 or 11 (x64): Python 3.11 or newer from python.org (the `py` launcher),
# and Inno Setup 6.3 or newer (https://jrsoftware.org/isinfo.php; its ISCC.exe on PATH or in the
# default folder). PyInstaller and Facilitator's dependencies go into build\venv-windows.
#
# Outputs:
#   dist\facilitator\                                  the bundle: facilitator.exe (windowed) and
#                                                      facilitator-cli.exe (console, for scripts)
#   dist\Facilitator-<version>-windows-x64-setup.exe   the installer (silent install for IT:
#                                                      /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS)
# Set $env:FACILITATOR_SIGN_TOOL to an Inno Setup SignTool line to sign the installer.

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked {
    # Run a program with the rest of the arguments as they are (a plain function, so "-m" is not
    # taken for a parameter) and stop on a non-zero exit code, which PowerShell itself ignores.
    $program, $rest = $args
    & $program @rest
    if ($LASTEXITCODE -ne 0) { throw "$program $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

$started = Get-Date
$root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $root
$venv = Join-Path $root "build\venv-windows"
$python = Join-Path $venv "Scripts\python.exe"
$bundle = Join-Path $root "dist\facilitator"

Write-Host "== Build environment ($venv)"
if (-not (Test-Path $python)) { Invoke-Checked py -3.11 -m venv $venv }
Invoke-Checked $python -m pip install -q --disable-pip-version-check --upgrade pip
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root "build\lib")
Invoke-Checked $python -m pip install -q --disable-pip-version-check --upgrade ".[package]"
Invoke-Checked $python -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root "build\lib")
$version = (& $python -c "from importlib.metadata import version; print(version('facilitator'))").Trim()
Write-Host "Facilitator $version"

Write-Host "== Icons (build\icons)"
Invoke-Checked $python installer\make_icons.py build\icons

Write-Host "== Bundle ($bundle)"
if (Test-Path $bundle) { Remove-Item -Recurse -Force $bundle }
Invoke-Checked $python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller-windows installer\facilitator.spec

Write-Host "== Quick check of the bundle"
$cli = Join-Path $bundle "facilitator-cli.exe"
$reported = (& $cli --version).Trim()
if ($LASTEXITCODE -ne 0 -or $reported -ne "Facilitator $version") { throw "--version printed '$reported'" }
# The check clinic's key goes to this account's Credential Manager ("Facilitator"), as for any
# clinic; FACILITATOR_PASSPHRASE is used only where no keyring is available.
$checkData = Join-Path $env:TEMP "facilitator-selftest-$PID"
$env:QT_QPA_PLATFORM = "offscreen"
$env:FACILITATOR_PASSPHRASE = "build-check-passphrase"
try {
    Invoke-Checked $cli --data-dir $checkData demo --today 2026-11-23
    Invoke-Checked $cli --data-dir $checkData selftest
} finally {
    Remove-Item Env:QT_QPA_PLATFORM, Env:FACILITATOR_PASSPHRASE
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $checkData
}

Write-Host "== Installer (Inno Setup)"
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) { throw "ISCC.exe not found: install Inno Setup 6.3 or newer" }
$numericVersion = $version -replace '^([0-9]+(\.[0-9]+)*).*$', '$1'  # 1.2.0rc1 -> 1.2.0
$isccArguments = @("/Qp", "/DAppVersion=$version", "/DNumericVersion=$numericVersion", "/DSourceDir=$bundle", "/DOutputDir=$root\dist",
    "/DIconFile=$root\build\icons\facilitator.ico")
if ($env:FACILITATOR_SIGN_TOOL) { $isccArguments += @("/DSign", "/Ssigntool=$env:FACILITATOR_SIGN_TOOL") }
Invoke-Checked $iscc @isccArguments installer\windows\facilitator.iss

$size = "{0:N0} MB" -f ((Get-ChildItem -Recurse -File $bundle | Measure-Object -Sum Length).Sum / 1MB)
$setup = Join-Path $root "dist\Facilitator-$version-windows-x64-setup.exe"
Write-Host "== Done in $([int]((Get-Date) - $started).TotalSeconds) s"
Write-Host "bundle     $bundle\  ($size)"
Write-Host ("installer  $setup  ({0:N0} MB)" -f ((Get-Item $setup).Length / 1MB))
