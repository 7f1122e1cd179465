<#
.SYNOPSIS
    Takes an ESP32 from blank to a provisioned irrigation controller with nanoff: nanoCLR firmware, the
    application image, and the controller's configuration file.

.DESCRIPTION
    Runs, in this order and only the steps asked for:
      1. -UpdateFirmware   nanoff --update          flashes nanoCLR at the pinned -FirmwareVersion
      2. -Build            msbuild                  builds firmware/Irrigation.Firmware (needs the nanoFramework build tools)
      3. -CaCertificate    nanoff --networkdeployment
                                                    writes the server's CA certificate into the board's certificate
                                                    store (what a wss:// server's certificate must chain to)
      4. -Device ...       nanoff --filedeployment  writes I:\irrigation.json (device id, token, server, Wi-Fi)
      5. -Image / -Build   nanoff --nanodevice --deploy
                                                    writes the application image (.bin) over nanoCLR's wire
                                                    protocol, at the deploy address the device itself reports, and
                                                    reboots the board
    The configuration goes before the application because the firmware reads I:\irrigation.json only at boot
    and the application deploy ends with a reboot. When only the configuration is written, the script tells you
    to reset the board (EN/RST button, or unplug and replug it): nanoff cannot reset an ESP32 after a file
    deployment.

    TLS: a -Server wss://... is never provisioned without -CaCertificate (the script stops before anything runs):
    the firmware verifies the server's certificate against the CA store on the board and refuses a server whose
    certificate does not chain to it, so without the CA the board could never connect. The CA goes before the
    configuration, so a failed CA step leaves the board's configuration as it was. The store is nanoCLR's own
    (the board's config partition, beside I:): nanoCLR loads it into every TLS handshake, it survives application
    deploys and -UpdateFirmware (nanoff backs it up), and nanoff --masserase erases it. Only the certificate blocks
    of the PEM file are sent, ending in the NUL byte mbedTLS needs to read PEM; nanoff's own CACertificatesPath
    would store the file without it, and the board would then silently trust nothing.

    No deploy address is hard-coded: nanoff's own ESP32 default, 0x1B0000, and the address of older notes both
    lie inside nanoCLR with the current 4 MB partition table, whose deploy partition starts at 0x1E0000
    (nf-interpreter targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv). -Address is only an override, for a
    board whose nanoCLR does not answer; it then deploys through the ESP32 bootloader at that address.

    Every input is checked before anything runs. The script stops at the first failing step with a message
    that says what to do, and exits non-zero. A step also fails when nanoff exits 0 but its output reports a
    failure: nanoff's file deployment prints "Error deploying content file ..." (or "Exception deploying
    content file ...") for a file the board refused and still exits 0, and its application deploy prints
    "FAILED!". -DryRun prints every command and changes nothing.

    The device token and the Wi-Fi password are never printed: they only exist in a temporary copy of the
    configuration file, which is deleted as soon as nanoff has sent it (also when it fails).

    Requires nanoff on PATH:  dotnet tool install -g nanoff

.PARAMETER SerialPort
    The board's serial port: COM5 on Windows, /dev/ttyUSB0 or /dev/ttyACM0 on Linux, /dev/cu.usbserial-* on macOS.
    List them with -ListPorts.

.PARAMETER Target
    The nanoff target name of the board's firmware. Classic ESP32 targets only (the pin map in
    firmware/Irrigation.Firmware/BoardConfig.cs is for the ESP32, not the S2/S3/C3/C6):
    ESP32_REV0 (any WROOM-32 without PSRAM; runs on rev 3 chips too), ESP32_REV3, ESP32_PSRAM_REV0,
    ESP32_PSRAM_REV3, ESP32_PSRAM_XTAL26_REV0, ESP32_BLE_REV0, ESP32_BLE_REV3, ESP32_PSRAM_BLE_GenericGraphic_REV3,
    ESP32_PSRAM_REV3_IPV6, ESP_WROVER_KIT, ESP32_PICO. Default: ESP32_REV0.

.PARAMETER UpdateFirmware
    Flash the nanoCLR firmware (nanoff --update) at -FirmwareVersion before anything else.

.PARAMETER FirmwareVersion
    The nanoCLR version to flash with -UpdateFirmware. Pinned to the release the NuGet packages in
    firmware/Irrigation.Firmware/packages.config belong to; change both together (docs/hardware.md, "Versions").

.PARAMETER Image
    The application image to deploy: bin\Release\Irrigation.Firmware.bin from a Visual Studio or msbuild build.

.PARAMETER Build
    Build the application with msbuild first (Windows with the nanoFramework VS extension, or mono msbuild on
    Linux/macOS), then deploy the image it produced. Cannot be combined with -Image.

.PARAMETER Project
    The .nfproj that -Build builds. Default: firmware/Irrigation.Firmware/Irrigation.Firmware.nfproj next to this script.

.PARAMETER Address
    Deploy address override in hex, e.g. 0x1E0000 (the deploy partition of the current 4 MB partition table).
    Without it the application goes over the wire protocol to the address the device reports. With it, nanoff
    writes the image through the ESP32 bootloader (--target, --address) at this address: use it only when
    nanoCLR does not answer, and read the address from the partition table the bootloader prints at 115200
    after a reset (docs/hardware.md, FAQ "Deploy address").

.PARAMETER Device
    Provisioning: the device id the server knows (letters, digits, '.', '_', '-'; at most 64).

.PARAMETER Token
    Provisioning: the device token printed by `devices add`. Never printed by this script.

.PARAMETER Server
    Provisioning: the server's controller URL, ws://HOST:PORT/ or wss://HOST/.

.PARAMETER WifiSsid
    Provisioning: the Wi-Fi network name (1-32 characters).

.PARAMETER WifiPassword
    Provisioning: the Wi-Fi password (8-63 characters, or empty for an open network). Never printed by this script.

.PARAMETER CaCertificate
    The CA certificate the server's TLS certificate chains to, as a PEM file (-----BEGIN CERTIFICATE-----; a
    chain of several is fine): your own CA's certificate, or for a self-signed server certificate that certificate
    itself. Required with a wss:// -Server; written to the board's certificate store (see DESCRIPTION, TLS). May be
    given alone to replace the CA of a provisioned board. A file that is missing, unreadable, not PEM, expired or
    that holds a private key is refused before anything runs. The certificate must name the host of -Server (its
    DNS name, or for an IP address the IP in its subject alternative names).

.PARAMETER ConfigTemplate
    Provisioning: the JSON file with everything else (zones, soil calibration, schedules, intervals) into which
    the five values above are written. Default: firmware/Irrigation.Firmware/irrigation.template.json.

.PARAMETER ListPorts
    List the serial ports nanoff sees (nanoff --listports) and stop.

.PARAMETER DryRun
    Check the inputs and print every command that would run, without running any or writing any file.

.EXAMPLE
    ./nanoff-flash.ps1 -ListPorts

    Shows the serial ports, to find the board's.

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort COM5 -Target ESP32_REV0 -UpdateFirmware -Image .\bin\Release\Irrigation.Firmware.bin -Device farm-01 -Token $token -Server ws://192.168.1.10:5000/ -WifiSsid Farm -WifiPassword $wifiPassword

    A blank board, start to finish: firmware, application, configuration.

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort /dev/ttyUSB0 -Image Irrigation.Firmware.bin

    Redeploys only the application, over the wire protocol; the board reboots into it.

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort /dev/ttyUSB0 -Target ESP32_REV3 -Image Irrigation.Firmware.bin -Address 0x1E0000

    Redeploys the application through the bootloader at an explicit deploy address (nanoCLR not answering).

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort COM5 -Device farm-01 -Token $token -Server wss://irrigation.example.org/ -CaCertificate ./irrigation-ca.pem -WifiSsid Farm -WifiPassword $wifiPassword

    Re-provisions a running board (new Wi-Fi or token) for a TLS server without touching firmware or application:
    the server's CA into the board's certificate store, then the configuration; then reset the board, which reads
    the file at boot.

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort COM5 -CaCertificate ./new-ca.pem

    Replaces only the CA of a provisioned board (the server got a certificate from another CA).

.EXAMPLE
    ./nanoff-flash.ps1 -SerialPort COM5 -UpdateFirmware -Build -DryRun

    Prints the nanoff and msbuild commands for a full update, runs nothing.

.LINK
    docs/hardware.md
#>
#Requires -Version 7.0
[CmdletBinding()]
param(
    [string] $SerialPort,
    [string] $Target = 'ESP32_REV0',
    [switch] $UpdateFirmware,
    [string] $FirmwareVersion = '1.17.0.339',
    [string] $Image,
    [switch] $Build,
    [string] $Project = (Join-Path $PSScriptRoot 'firmware' 'Irrigation.Firmware' 'Irrigation.Firmware.nfproj'),
    [string] $Address,
    [string] $Device,
    [string] $Token,
    [string] $Server,
    [string] $WifiSsid,
    [string] $WifiPassword,
    [string] $CaCertificate,
    [string] $ConfigTemplate = (Join-Path $PSScriptRoot 'firmware' 'Irrigation.Firmware' 'irrigation.template.json'),
    [switch] $ListPorts,
    [switch] $DryRun
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The classic-ESP32 firmware targets nanoff publishes (nf-interpreter targets/ESP32, Cloudsmith package names).
$KnownTargets = @(
    'ESP32_REV0', 'ESP32_REV3', 'ESP32_PSRAM_REV0', 'ESP32_PSRAM_REV3', 'ESP32_PSRAM_XTAL26_REV0',
    'ESP32_BLE_REV0', 'ESP32_BLE_REV3', 'ESP32_PSRAM_BLE_GenericGraphic_REV3', 'ESP32_PSRAM_REV3_IPV6',
    'ESP_WROVER_KIT', 'ESP32_PICO'
)
$DeviceConfigPath = 'I:\irrigation.json'

# Values that must never reach the console or a log, masked wherever text is printed (secrets are never
# printed on purpose; this catches echoes, e.g. from nanoff). Very short values would garble every line instead.
$Secrets = @(@($Token, $WifiPassword) | Where-Object { $_ -and $_.Length -ge 4 })

function Protect-Text([string] $Text) {
    foreach ($secret in $Secrets) {
        $Text = $Text.Replace($secret, '****')
    }
    return $Text
}

function Write-Line([string] $Text) {
    [Console]::Out.WriteLine((Protect-Text $Text))
}

function Stop-WithError([string] $Message, [int] $ExitCode = 1) {
    [Console]::Error.WriteLine((Protect-Text "nanoff-flash: error: $Message"))
    exit $ExitCode
}

function Format-Command([string] $Name, [string[]] $Arguments) {
    $parts = @($Name) + @($Arguments | ForEach-Object { if ($_ -match '[\s"]') { '"' + $_.Replace('"', '\"') + '"' } else { $_ } })
    return ($parts -join ' ')
}

# What nanoff prints for a failure it does not report in its exit code: FileDeploymentManager.cs ("Error/Exception
# deploying content file ...", then ExitCodes.OK) and NanoDeviceOperations.DeployApplication ("FAILED!").
$NanoffFailureOutput = '(Error|Exception) deploying content file|Error deleting file|FAILED!'

# Runs one external command (or only prints it with -DryRun); stops the script when it fails, by its exit code or
# by a line of its output that matches $FailurePattern.
function Invoke-Step([string] $Title, [string] $Name, [string[]] $Arguments, [string] $WhatToDo, [string] $FailurePattern) {
    Write-Line "== $Title"
    Write-Line "> $(Format-Command $Name $Arguments)"
    if ($DryRun) {
        return
    }

    $reported = $null
    & $Name @Arguments 2>&1 | ForEach-Object {
        $line = "$_"
        Write-Line $line
        # nanoff colours its lines; compare the text without terminal escapes.
        $plain = $line -replace '\x1B\[[0-9;]*m', ''
        if ($FailurePattern -and -not $reported -and $plain -match $FailurePattern) {
            $reported = $plain.Trim()
        }
    }
    $code = $LASTEXITCODE
    if ($code -ne 0) {
        Stop-WithError "$Title failed ($Name exit code $code). $WhatToDo"
    }
    if ($reported) {
        Stop-WithError "$Title failed: $Name printed '$reported' (exit code 0). $WhatToDo"
    }
}

function Test-Tool([string] $Name, [string] $HowToInstall) {
    if (Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue) {
        return
    }
    if ($DryRun) {
        Write-Line "note: $Name is not on PATH; a real run would stop here. $HowToInstall"
        return
    }
    Stop-WithError "$Name is not on PATH. $HowToInstall"
}

$nanoffHelp = 'Install it with: dotnet tool install -g nanoff (update: dotnet tool update -g nanoff), then open a new terminal so the .NET tools folder is on PATH.'

# ---- -ListPorts: nothing else ----------------------------------------------------------------------------
if ($ListPorts) {
    Test-Tool 'nanoff' $nanoffHelp
    Invoke-Step 'list serial ports' 'nanoff' @('--listports') 'Check that nanoff runs: nanoff --help.'
    exit 0
}

# ---- check every input before anything runs -------------------------------------------------------------
if ([string]::IsNullOrWhiteSpace($SerialPort)) {
    Stop-WithError 'no -SerialPort. Give the board''s port, e.g. -SerialPort COM5 or -SerialPort /dev/ttyUSB0 (list them with -ListPorts).' 2
}
if ($SerialPort -notmatch '^(COM\d{1,3}|/dev/[A-Za-z0-9._/-]+)$') {
    Stop-WithError "-SerialPort '$SerialPort' is not a serial port name (COMn or /dev/tty...). List them with -ListPorts." 2
}
if ($KnownTargets -cnotcontains $Target) {
    Stop-WithError "unknown -Target '$Target'. Use one of: $($KnownTargets -join ', '). ESP32_REV0 fits any WROOM-32 without PSRAM." 2
}
if ($FirmwareVersion -notmatch '^\d+\.\d+\.\d+\.\d+$') {
    Stop-WithError "-FirmwareVersion '$FirmwareVersion' is not a nanoCLR version like 1.17.0.339." 2
}
if ($Build -and $Image) {
    Stop-WithError 'give either -Image (an existing .bin) or -Build (build it now), not both.' 2
}
if ($Image) {
    if (-not (Test-Path -LiteralPath $Image -PathType Leaf)) {
        Stop-WithError "-Image '$Image' does not exist. Build the firmware in Release (bin\Release\Irrigation.Firmware.bin) or use -Build." 2
    }
    if ([IO.Path]::GetExtension($Image) -ne '.bin') {
        Stop-WithError "-Image '$Image' is not a .bin deployment image (the build writes bin\Release\Irrigation.Firmware.bin)." 2
    }
    $Image = (Resolve-Path -LiteralPath $Image).ProviderPath
}
if ($Build -and -not (Test-Path -LiteralPath $Project -PathType Leaf)) {
    Stop-WithError "-Project '$Project' does not exist." 2
}
if ($Address) {
    if ($Address -notmatch '^0x[0-9A-Fa-f]{1,8}$') {
        Stop-WithError "-Address '$Address' is not a hex address like 0x1E0000." 2
    }
    if (-not ($Image -or $Build)) {
        Stop-WithError '-Address is the application deploy address: give it together with -Image or -Build.' 2
    }
}

$provisionValues = @{ Device = $Device; Token = $Token; Server = $Server; WifiSsid = $WifiSsid }
$provisionGiven = @($provisionValues.Values | Where-Object { $_ }).Count -gt 0 -or $PSBoundParameters.ContainsKey('WifiPassword')
$provision = $false
if ($provisionGiven) {
    $missing = @('Device', 'Token', 'Server', 'WifiSsid' | Where-Object { -not $provisionValues[$_] })
    if (-not $PSBoundParameters.ContainsKey('WifiPassword')) { $missing += 'WifiPassword' }
    if ($missing.Count -gt 0) {
        Stop-WithError "provisioning needs all of -Device -Token -Server -WifiSsid -WifiPassword; missing: -$($missing -join ', -')." 2
    }
    if ($Device -notmatch '^[A-Za-z0-9._-]{1,64}$') {
        Stop-WithError "-Device '$Device' may only hold letters, digits, '.', '_' and '-' (at most 64)." 2
    }
    if ($Token -match '[\x00-\x1F\x7F]' -or $Token.Trim().Length -ne $Token.Length) {
        Stop-WithError '-Token contains spaces or control characters; paste it exactly as `devices add` printed it.' 2
    }
    if ($Server -notmatch '^wss?://[^\s/?#]+(/[^\s]*)?$') {
        Stop-WithError "-Server '$Server' must be the controller URL, ws://HOST:PORT/ or wss://HOST/." 2
    }
    if ($WifiSsid.Length -gt 32) {
        Stop-WithError '-WifiSsid is longer than 32 characters.' 2
    }
    if ($WifiPassword.Length -ne 0 -and ($WifiPassword.Length -lt 8 -or $WifiPassword.Length -gt 63)) {
        Stop-WithError '-WifiPassword must be 8-63 characters (WPA2), or empty for an open network.' 2
    }
    if (-not (Test-Path -LiteralPath $ConfigTemplate -PathType Leaf)) {
        Stop-WithError "-ConfigTemplate '$ConfigTemplate' does not exist." 2
    }
    try {
        $template = Get-Content -LiteralPath $ConfigTemplate -Raw | ConvertFrom-Json -AsHashtable
    }
    catch {
        Stop-WithError "-ConfigTemplate '$ConfigTemplate' is not valid JSON: $($_.Exception.Message)" 2
    }
    $provision = $true
}

# The CA: a PEM file whose certificate blocks parse, none expired, no private key. What the board gets is the
# blocks alone, LF line ends, and the NUL mbedTLS needs to read PEM (nf-interpreter ssl_generic_init_internal.cpp).
$caBundle = $null
if ($PSBoundParameters.ContainsKey('CaCertificate')) {
    if ([string]::IsNullOrWhiteSpace($CaCertificate) -or -not (Test-Path -LiteralPath $CaCertificate -PathType Leaf)) {
        Stop-WithError "-CaCertificate '$CaCertificate' does not exist. Give the PEM file of the CA that signed the server's certificate (for a self-signed server certificate, that certificate)." 2
    }
    try {
        $caText = [IO.File]::ReadAllText((Resolve-Path -LiteralPath $CaCertificate).ProviderPath)
    }
    catch {
        Stop-WithError "-CaCertificate '$CaCertificate' cannot be read: $($_.Exception.Message)" 2
    }
    if ($caText -match '-----BEGIN [A-Z ]*PRIVATE KEY-----') {
        Stop-WithError "-CaCertificate '$CaCertificate' holds a private key: give the CA certificate only (the key stays on the server)." 2
    }
    $blocks = @([regex]::Matches($caText, '-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----') | ForEach-Object { $_ })
    if ($blocks.Count -eq 0) {
        Stop-WithError "-CaCertificate '$CaCertificate' is not a PEM certificate (no -----BEGIN CERTIFICATE----- block). Convert a DER file with: openssl x509 -inform der -in ca.der -out ca.pem" 2
    }
    $pem = ''
    $subjects = @()
    foreach ($block in $blocks) {
        try {
            $der = [Convert]::FromBase64String(($block.Groups[1].Value -replace '\s', ''))
            $certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::new($der)
        }
        catch {
            Stop-WithError "-CaCertificate '$CaCertificate' is not a PEM certificate: a certificate block does not parse ($($_.Exception.Message))." 2
        }
        if ($certificate.NotAfter -lt [DateTime]::Now) {
            Stop-WithError "-CaCertificate '$CaCertificate': $($certificate.Subject) expired on $($certificate.NotAfter.ToString('yyyy-MM-dd')); the board would refuse every server certificate it signed." 2
        }
        $subjects += "$($certificate.Subject), valid until $($certificate.NotAfter.ToString('yyyy-MM-dd'))"
        $base64 = [Convert]::ToBase64String($der, [Base64FormattingOptions]::InsertLineBreaks) -replace "`r`n", "`n"
        $pem += "-----BEGIN CERTIFICATE-----`n$base64`n-----END CERTIFICATE-----`n"
    }
    $caBundle = [Text.Encoding]::ASCII.GetBytes($pem) + [byte[]]@(0)
    $caSubjects = $subjects -join '; '
}
if ($provision -and $Server -match '^wss://' -and -not $caBundle) {
    Stop-WithError "-Server '$Server' is wss:// but no -CaCertificate was given: the board verifies the server's certificate against the CA in its certificate store and would never connect. Give -CaCertificate <the CA's PEM file> (written to the board with the configuration), or use ws:// on a network you trust." 2
}

if (-not ($UpdateFirmware -or $Image -or $Build -or $provision -or $caBundle)) {
    Stop-WithError 'nothing to do: give -UpdateFirmware, -Image or -Build, -CaCertificate, and/or -Device -Token -Server -WifiSsid -WifiPassword (see Get-Help ./nanoff-flash.ps1 -Examples).' 2
}

Test-Tool 'nanoff' $nanoffHelp
if ($Build) {
    Test-Tool 'msbuild' 'Build from a Visual Studio Developer prompt with the .NET nanoFramework extension, or install mono msbuild plus the nanoFramework build components; otherwise build in Visual Studio and pass -Image.'
}

$portHelp = "Check the cable and -SerialPort $SerialPort (run -ListPorts), close any serial monitor on that port, and hold BOOT while nanoff connects if the board does not enter download mode."

# ---- 1. firmware -----------------------------------------------------------------------------------------
if ($UpdateFirmware) {
    Invoke-Step "flash nanoCLR $FirmwareVersion" 'nanoff' @('--update', '--target', $Target, '--serialport', $SerialPort, '--fwversion', $FirmwareVersion) $portHelp
}

# ---- 2. build --------------------------------------------------------------------------------------------
if ($Build) {
    Invoke-Step 'build the application' 'msbuild' @($Project, '-restore', '-p:RestorePackagesConfig=true', '-p:Configuration=Release', '-v:minimal') 'Read the build errors above; the nanoFramework build components must be installed.'
    $Image = Join-Path (Split-Path -Parent $Project) 'bin' 'Release' ([IO.Path]::GetFileNameWithoutExtension($Project) + '.bin')
    if (-not $DryRun -and -not (Test-Path -LiteralPath $Image -PathType Leaf)) {
        Stop-WithError "the build succeeded but wrote no image at $Image. Are the nanoFramework build components installed (NFProjectSystem)?"
    }
}

# ---- 3. CA certificate -----------------------------------------------------------------------------------
if ($caBundle) {
    $caDir = Join-Path ([IO.Path]::GetTempPath()) ('irrigation-ca-' + [Guid]::NewGuid().ToString('N'))
    $caDeploymentFile = Join-Path $caDir 'networkdeployment.json'
    Write-Line "== CA certificate for wss:// ($caSubjects)"
    if ($DryRun) {
        Write-Line "would write $caDeploymentFile (CACertificates: the PEM blocks and a NUL, base64), send it, then delete it"
        Invoke-Step 'write the CA certificate store' 'nanoff' @('--serialport', $SerialPort, '--networkdeployment', $caDeploymentFile) ''
    }
    else {
        try {
            New-Item -ItemType Directory -Path $caDir | Out-Null
            # nanoff's network deployment format (NetworkDeploymentConfiguration.cs): CACertificates is base64 and
            # replaces the whole CA store; only this key is given, so Wi-Fi and network settings stay as they are.
            [ordered]@{
                SerialPort     = $SerialPort
                CACertificates = [Convert]::ToBase64String($caBundle)
            } | ConvertTo-Json | Set-Content -LiteralPath $caDeploymentFile -Encoding utf8NoBOM
            Invoke-Step 'write the CA certificate store' 'nanoff' @('--serialport', $SerialPort, '--networkdeployment', $caDeploymentFile) "nanoCLR must answer on $SerialPort (flash it with -UpdateFirmware on a blank board): reset the board, close any serial monitor, and try again."
        }
        finally {
            Remove-Item -LiteralPath $caDir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

# ---- 4. configuration ------------------------------------------------------------------------------------
if ($provision) {
    $template['device'] = $Device
    $template['token'] = $Token
    $template['server'] = $Server
    $template['wifi'] = [ordered]@{ ssid = $WifiSsid; password = $WifiPassword }

    $workDir = Join-Path ([IO.Path]::GetTempPath()) ('irrigation-provision-' + [Guid]::NewGuid().ToString('N'))
    $configFile = Join-Path $workDir 'irrigation.json'
    $deploymentFile = Join-Path $workDir 'filedeployment.json'
    Write-Line "== configuration for device $Device, server $Server, Wi-Fi '$WifiSsid' (token and password not shown)"
    if ($DryRun) {
        Write-Line "would write $configFile and $deploymentFile, send $DeviceConfigPath, then delete both"
        Invoke-Step "write $DeviceConfigPath" 'nanoff' @('--serialport', $SerialPort, '--filedeployment', $deploymentFile) '' $NanoffFailureOutput
    }
    else {
        try {
            New-Item -ItemType Directory -Path $workDir | Out-Null
            if (-not $IsWindows) {
                # Owner-only: the file holds the token and the Wi-Fi password for a few seconds.
                & chmod 700 $workDir
            }
            $template | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $configFile -Encoding utf8NoBOM
            # nanoff's file deployment format: the destination on the device and the local source per file.
            [ordered]@{
                SerialPort = $SerialPort
                Files      = @([ordered]@{ DestinationFilePath = $DeviceConfigPath; SourceFilePath = $configFile })
            } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $deploymentFile -Encoding utf8NoBOM
            Invoke-Step "write $DeviceConfigPath" 'nanoff' @('--serialport', $SerialPort, '--filedeployment', $deploymentFile) "nanoCLR must answer on $SerialPort (flash it with -UpdateFirmware on a blank board): reset the board, close any serial monitor, and try again." $NanoffFailureOutput
        }
        finally {
            Remove-Item -LiteralPath $workDir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

# ---- 5. application --------------------------------------------------------------------------------------
if ($Image) {
    if ($Address) {
        # Override: through the ESP32 bootloader, at the address given.
        $deployArgs = @('--target', $Target, '--serialport', $SerialPort, '--deploy', '--image', $Image, '--address', $Address)
        $deployHelp = "$portHelp Check -Address against the deploy partition the bootloader prints at 115200 after a reset."
    }
    else {
        # Over nanoCLR's wire protocol: nanoff asks the device for its deploy address, then reboots it.
        $deployArgs = @('--nanodevice', '--serialport', $SerialPort, '--deploy', '--image', $Image)
        $deployHelp = "nanoCLR must answer on ${SerialPort}: flash it with -UpdateFirmware first on a blank board, close any serial monitor, reset the board and try again."
    }
    Invoke-Step 'deploy the application' 'nanoff' $deployArgs $deployHelp $NanoffFailureOutput
}

if ($provision -and -not $Image) {
    # nanoff cannot reset an ESP32 after a file deployment, and the firmware reads the file only at boot.
    Write-Line "now reset the board (EN/RST button, or unplug and replug it): it reads $DeviceConfigPath only at boot. The serial log must show 'I config: read $DeviceConfigPath'."
}
elseif ($caBundle -and -not $Image) {
    Write-Line 'the board uses the new CA from its next connection attempt (a reset makes that now).'
}
Write-Line $(if ($DryRun) { 'dry run: nothing was changed' } else { 'done: open the serial log (115200 baud, docs/hardware.md) to watch the board boot' })
exit 0
