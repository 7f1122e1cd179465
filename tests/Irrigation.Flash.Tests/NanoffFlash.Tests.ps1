# Runs the real nanoff-flash.ps1 in a real pwsh process against a fake nanoff (and a fake msbuild) on PATH that
# record their arguments, so every assertion is about the commands the script really issues.

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    $script:FlashScript = Join-Path $Repo 'nanoff-flash.ps1'
    $script:Sep = [char]0x1F

    # The child is the same pwsh as this one (under `dotnet pwsh` the process is the dotnet host).
    $script:PwshCommand = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $script:PwshCommand += (Join-Path $PSHOME 'pwsh.dll')
    }

    function New-World {
        $root = Join-Path ([IO.Path]::GetTempPath()) ('flash-test-' + [Guid]::NewGuid().ToString('N'))
        $bin = Join-Path $root 'bin'
        New-Item -ItemType Directory -Path $bin | Out-Null
        foreach ($fake in 'nanoff', 'msbuild') {
            Copy-Item (Join-Path $PSScriptRoot 'fakes' $fake) $bin
            & chmod +x (Join-Path $bin $fake)
        }
        $image = Join-Path $root 'App.bin'
        Set-Content -LiteralPath $image -Value 'image'
        $project = Join-Path $root 'proj' 'Irrigation.Firmware.nfproj'
        New-Item -ItemType Directory -Path (Split-Path $project) | Out-Null
        Set-Content -LiteralPath $project -Value '<Project />'
        [pscustomobject]@{ Root = $root; Bin = $bin; Log = (Join-Path $root 'calls.log'); Image = $image; Project = $project }
    }

    function Invoke-Flash {
        param($World, [string[]] $Arguments, [hashtable] $Environment = @{}, [switch] $NoFakes)
        $psi = [Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
        foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $FlashScript) + $Arguments) {
            $psi.ArgumentList.Add($a)
        }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.Environment['NO_COLOR'] = '1'
        $psi.Environment['FAKE_NANOFF_LOG'] = $World.Log
        # Only the fakes and the basic system tools: a real nanoff or msbuild on this machine is never reached.
        $psi.Environment['PATH'] = $(if ($NoFakes) { '/usr/bin:/bin' } else { "$($World.Bin):/usr/bin:/bin" })
        foreach ($key in $Environment.Keys) {
            $psi.Environment[$key] = $Environment[$key]
        }
        $process = [Diagnostics.Process]::Start($psi)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $calls = @()
        if (Test-Path $World.Log) {
            $calls = @(Get-Content -LiteralPath $World.Log | ForEach-Object {
                    $parts = $_.TrimEnd($Sep).Split($Sep)
                    [pscustomobject]@{ Tool = $parts[0]; Args = @($parts | Select-Object -Skip 1); Line = ($parts -join ' ') }
                })
        }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Out = $stdout.Result; Err = $stderr.Result; All = $stdout.Result + $stderr.Result; Calls = $calls }
    }

    # A CA as a test's server would have one (ECDSA P-256, self-signed, CA basic constraint), as PEM.
    function New-TestCa([string] $Name, [DateTimeOffset] $NotBefore = [DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.AddYears(5)) {
        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, [Security.Cryptography.HashAlgorithmName]::SHA256)
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $certificate = $request.CreateSelfSigned($NotBefore, $NotAfter)
        [pscustomobject]@{ Certificate = $certificate; Pem = $certificate.ExportCertificatePem(); KeyPem = $key.ExportECPrivateKeyPem() }
    }

    $script:Ca = New-TestCa 'Irrigation Test CA'

    # The board's CA store as the script sent it: the CACertificates of the --networkdeployment JSON, decoded.
    function Get-SentCaStore($World) {
        $deployment = Get-Content -Raw "$($World.Log).networkdeployment.json" | ConvertFrom-Json -AsHashtable
        [pscustomobject]@{ Keys = @($deployment.Keys | Sort-Object); SerialPort = $deployment.SerialPort; Bytes = [Convert]::FromBase64String($deployment.CACertificates) }
    }

    $script:Token = 'tok-SECRET-9f8e7d6c5b4a'
    $script:WifiPassword = 'wifi-SECRET-pass'
    function Get-ProvisionArgs {
        @('-Device', 'farm-01', '-Token', $Token, '-Server', 'ws://192.168.1.10:5000/', '-WifiSsid', 'Farm Net', '-WifiPassword', $WifiPassword)
    }
}

Describe 'nanoff-flash.ps1 commands' {
    BeforeEach { $script:World = New-World }
    AfterEach { Remove-Item -LiteralPath $World.Root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'ListPorts_Always_RunsOnlyNanoffListports' {
        $r = Invoke-Flash $World @('-ListPorts')
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Calls[0].Args | Should -Be @('--listports')
    }

    It 'UpdateFirmware_WithPort_FlashesPinnedVersionForTarget' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Target', 'ESP32_REV3', '-UpdateFirmware')
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Calls[0].Args | Should -Be @('--update', '--target', 'ESP32_REV3', '--serialport', 'COM5', '--fwversion', '1.17.0.339')
    }

    It 'UpdateFirmware_WithFirmwareVersion_PassesIt' {
        $r = Invoke-Flash $World @('-SerialPort', '/dev/ttyUSB0', '-UpdateFirmware', '-FirmwareVersion', '1.17.0.334')
        $r.ExitCode | Should -Be 0
        $r.Calls[0].Args | Should -Be @('--update', '--target', 'ESP32_REV0', '--serialport', '/dev/ttyUSB0', '--fwversion', '1.17.0.334')
    }

    It 'Image_Only_DeploysOverTheWireProtocolWithoutAnAddress' {
        # nanoff --nanodevice deploys through nanoCLR, at the deploy address the device reports (NanoDeviceOperations.cs);
        # the ESP32 bootloader path would use nanoff's hard-coded 0x1B0000, inside nanoCLR on current firmware.
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Image', $World.Image)
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Calls[0].Args | Should -Be @('--nanodevice', '--serialport', 'COM5', '--deploy', '--image', $World.Image)
        $r.Calls[0].Args | Should -Not -Contain '--address'
    }

    It 'Image_WithAddress_DeploysThroughTheBootloaderAtThatAddress' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Image', $World.Image, '-Address', '0x1E0000')
        $r.ExitCode | Should -Be 0
        $r.Calls[0].Args | Should -Be @('--target', 'ESP32_REV0', '--serialport', 'COM5', '--deploy', '--image', $World.Image, '--address', '0x1E0000')
    }

    It 'Build_WithUpdate_FlashesThenBuildsThenDeploysBuiltImage' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-UpdateFirmware', '-Build', '-Project', $World.Project)
        $r.ExitCode | Should -Be 0
        @($r.Calls.Tool) | Should -Be @('nanoff', 'msbuild', 'nanoff')
        $r.Calls[0].Args[0] | Should -Be '--update'
        $r.Calls[1].Args | Should -Be @($World.Project, '-restore', '-p:RestorePackagesConfig=true', '-p:Configuration=Release', '-v:minimal')
        $built = Join-Path (Split-Path $World.Project) 'bin' 'Release' 'Irrigation.Firmware.bin'
        $r.Calls[2].Args | Should -Be @('--nanodevice', '--serialport', 'COM5', '--deploy', '--image', $built)
    }

    It 'Provision_Only_SendsConfigFileWithNanoffFileDeploymentFormat' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM7') + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Calls[0].Args[0..1] | Should -Be @('--serialport', 'COM7')
        $r.Calls[0].Args[2] | Should -Be '--filedeployment'

        $deployment = Get-Content -Raw "$($World.Log).filedeployment.json" | ConvertFrom-Json
        $deployment.SerialPort | Should -Be 'COM7'
        $deployment.Files.Count | Should -Be 1
        $deployment.Files[0].DestinationFilePath | Should -Be 'I:\irrigation.json'

        $config = Get-Content -Raw "$($World.Log).deployed-file.json" | ConvertFrom-Json
        $config.device | Should -Be 'farm-01'
        $config.token | Should -Be $Token
        $config.server | Should -Be 'ws://192.168.1.10:5000/'
        $config.wifi.ssid | Should -Be 'Farm Net'
        $config.wifi.password | Should -Be $WifiPassword
        $config.zones.Count | Should -BeGreaterThan 0   # the rest comes from the template
    }

    It 'Provision_AfterRun_DeletesTheTemporaryFilesWithSecrets' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM7') + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        $sent = (Get-Content -Raw "$($World.Log).filedeployment.json" | ConvertFrom-Json).Files[0].SourceFilePath
        Test-Path -LiteralPath $sent | Should -BeFalse
        Test-Path -LiteralPath (Split-Path $sent) | Should -BeFalse
    }

    It 'Everything_Together_RunsFirmwareThenConfigThenTheAppWhoseDeployReboots' {
        # The firmware reads I:\irrigation.json only at boot; the application deploy reboots the board, so it goes last.
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5', '-Target', 'ESP32_PSRAM_REV3', '-UpdateFirmware', '-Image', $World.Image) + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 3
        $r.Calls[0].Args[0] | Should -Be '--update'
        $r.Calls[1].Args | Should -Contain '--filedeployment'
        $r.Calls[2].Args | Should -Contain '--deploy'
        $r.Calls[2].Args | Should -Contain '--nanodevice'
        $r.Out | Should -Not -Match 'reset the board'
    }

    It 'Provision_Only_TellsTheUserToResetTheBoard' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM7') + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        $r.Out | Should -Match 'reset the board'
        $r.Out | Should -Match ([regex]::Escape('I config: read I:\irrigation.json'))
    }

    It 'DryRun_Everything_PrintsEveryCommandAndRunsNone' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5', '-UpdateFirmware', '-Build', '-Project', $World.Project, '-Address', '0x1E0000', '-DryRun') + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 0
        $r.Out | Should -Match ([regex]::Escape('> nanoff --update --target ESP32_REV0 --serialport COM5 --fwversion 1.17.0.339'))
        $r.Out | Should -Match '> msbuild '
        $r.Out | Should -Match '> nanoff --target ESP32_REV0 --serialport COM5 --deploy --image .*Irrigation\.Firmware\.bin --address 0x1E0000'
        $r.Out | Should -Match '> nanoff --serialport COM5 --filedeployment '
        $r.Out | Should -Match 'dry run: nothing was changed'
        Test-Path (Join-Path (Split-Path $World.Project) 'bin') | Should -BeFalse
    }

    It 'DryRun_WithoutNanoff_StillPrintsCommands' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-UpdateFirmware', '-DryRun') -NoFakes
        $r.ExitCode | Should -Be 0
        $r.Out | Should -Match 'dotnet tool install -g nanoff'
        $r.Out | Should -Match '> nanoff --update'
    }
}

Describe 'nanoff-flash.ps1 failures' {
    BeforeEach { $script:World = New-World }
    AfterEach { Remove-Item -LiteralPath $World.Root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'FailingNanoff_OnFirmware_StopsBeforeDeployWithMessage' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-UpdateFirmware', '-Image', $World.Image) -Environment @{ FAKE_NANOFF_FAIL_ON = '--update' }
        $r.ExitCode | Should -Not -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Err | Should -Match 'flash nanoCLR 1\.17\.0\.339 failed \(nanoff exit code 7\)'
        $r.Err | Should -Match 'ListPorts'
    }

    It 'FailingNanoff_OnDeploy_SaysWhatToCheck' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Image', $World.Image) -Environment @{ FAKE_NANOFF_FAIL_ON = '--deploy' }
        $r.ExitCode | Should -Not -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Err | Should -Match 'deploy the application failed'
        $r.Err | Should -Match 'UpdateFirmware'
    }

    It 'FailingNanoff_OnConfig_StopsBeforeTheApplication' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5', '-Image', $World.Image) + (Get-ProvisionArgs)) -Environment @{ FAKE_NANOFF_FAIL_ON = '--filedeployment' }
        $r.ExitCode | Should -Not -Be 0
        @($r.Calls | Where-Object { $_.Args -contains '--deploy' }).Count | Should -Be 0
    }

    It 'Provision_NanoffPrintsErrorDeployingContentFileAndExitsZero_FailsWithClearMessage' {
        # nanoff's FileDeploymentManager.cs prints this line for a file the device refused, and still returns OK.
        $say = "Error deploying content file /tmp/x/irrigation.json to I:\irrigation.json"
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5', '-Image', $World.Image) + (Get-ProvisionArgs)) -Environment @{ FAKE_NANOFF_SAY_ON = '--filedeployment'; FAKE_NANOFF_SAY = $say }
        $r.ExitCode | Should -Not -Be 0
        $r.Err | Should -Match 'write I:\\irrigation\.json failed'
        $r.Err | Should -Match 'Error deploying content file'
        $r.Err | Should -Match 'exit code 0'
        @($r.Calls | Where-Object { $_.Args -contains '--deploy' }).Count | Should -Be 0
        $sent = (Get-Content -Raw "$($World.Log).filedeployment.json" | ConvertFrom-Json).Files[0].SourceFilePath
        Test-Path -LiteralPath $sent | Should -BeFalse
    }

    It 'Deploy_NanoffPrintsFailedAndExitsZero_Fails' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Image', $World.Image) -Environment @{ FAKE_NANOFF_SAY_ON = '--deploy'; FAKE_NANOFF_SAY = 'Deploying managed application...FAILED!' }
        $r.ExitCode | Should -Not -Be 0
        $r.Err | Should -Match 'FAILED!'
    }

    It 'FailingNanoff_OnConfig_ExitsNonZeroAndStillDeletesSecrets' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5') + (Get-ProvisionArgs)) -Environment @{ FAKE_NANOFF_FAIL_ON = '--filedeployment' }
        $r.ExitCode | Should -Not -Be 0
        $r.Err | Should -Match 'write I:\\irrigation\.json failed'
        $sent = (Get-Content -Raw "$($World.Log).filedeployment.json" | ConvertFrom-Json).Files[0].SourceFilePath
        Test-Path -LiteralPath $sent | Should -BeFalse
    }

    It 'Build_WritingNoImage_StopsBeforeDeploy' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Build', '-Project', $World.Project) -Environment @{ FAKE_MSBUILD_NO_IMAGE = '1' }
        $r.ExitCode | Should -Not -Be 0
        @($r.Calls.Tool) | Should -Be @('msbuild')
        $r.Err | Should -Match 'wrote no image'
    }

    It 'MissingNanoff_RealRun_SaysHowToInstall' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-UpdateFirmware') -NoFakes
        $r.ExitCode | Should -Not -Be 0
        $r.Err | Should -Match 'dotnet tool install -g nanoff'
    }
}

Describe 'nanoff-flash.ps1 refuses bad input before running anything' {
    BeforeEach { $script:World = New-World }
    AfterEach { Remove-Item -LiteralPath $World.Root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'BadInput_<Case>_RefusedWithMessage' -ForEach @(
        @{ Case = 'no port'; Arguments = @('-UpdateFirmware'); Expect = 'no -SerialPort' }
        @{ Case = 'not a port'; Arguments = @('-SerialPort', 'banana', '-UpdateFirmware'); Expect = 'not a serial port name' }
        @{ Case = 'unknown target'; Arguments = @('-SerialPort', 'COM5', '-Target', 'ESP32_S3', '-UpdateFirmware'); Expect = "unknown -Target 'ESP32_S3'" }
        @{ Case = 'missing image'; Arguments = @('-SerialPort', 'COM5', '-Image', '/nonexistent/App.bin'); Expect = 'does not exist' }
        @{ Case = 'image and build'; Arguments = @('-SerialPort', 'COM5', '-Image', 'X.bin', '-Build'); Expect = 'not both' }
        @{ Case = 'bad address'; Arguments = @('-SerialPort', 'COM5', '-Image', 'IMAGE', '-Address', '1E0000'); Expect = 'not a hex address' }
        @{ Case = 'address alone'; Arguments = @('-SerialPort', 'COM5', '-UpdateFirmware', '-Address', '0x1E0000'); Expect = 'together with -Image' }
        @{ Case = 'bad firmware version'; Arguments = @('-SerialPort', 'COM5', '-UpdateFirmware', '-FirmwareVersion', 'latest'); Expect = 'not a nanoCLR version' }
        @{ Case = 'partial provisioning'; Arguments = @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', 'abc'); Expect = 'missing: -Server, -WifiSsid, -WifiPassword' }
        @{ Case = 'bad server'; Arguments = @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', 'abc', '-Server', 'http://x/', '-WifiSsid', 'a', '-WifiPassword', '12345678'); Expect = 'must be the controller URL' }
        @{ Case = 'bad device id'; Arguments = @('-SerialPort', 'COM5', '-Device', 'farm 01', '-Token', 'abc', '-Server', 'ws://x/', '-WifiSsid', 'a', '-WifiPassword', '12345678'); Expect = "-Device 'farm 01'" }
        @{ Case = 'short wifi password'; Arguments = @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', 'abc', '-Server', 'ws://x/', '-WifiSsid', 'a', '-WifiPassword', 'short'); Expect = '8-63 characters' }
        @{ Case = 'nothing to do'; Arguments = @('-SerialPort', 'COM5'); Expect = 'nothing to do' }
    ) {
        $arguments = @($Arguments | ForEach-Object { if ($_ -eq 'IMAGE') { $World.Image } else { $_ } })
        $r = Invoke-Flash $World $arguments
        $r.ExitCode | Should -Be 2
        $r.Err | Should -Match ([regex]::Escape($Expect))
        $r.Calls.Count | Should -Be 0
    }
}

Describe 'nanoff-flash.ps1 -CaCertificate (wss:// servers)' {
    BeforeEach {
        $script:World = New-World
        $script:CaFile = Join-Path $World.Root 'irrigation-ca.pem'
        Set-Content -LiteralPath $CaFile -Value $Ca.Pem -NoNewline
    }
    AfterEach { Remove-Item -LiteralPath $World.Root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'CaCertificate_WithWssProvisioning_WritesTheCaStoreBeforeTheConfiguration' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', $Token, '-Server', 'wss://irrigation.example.org/', '-CaCertificate', $CaFile, '-WifiSsid', 'Farm', '-WifiPassword', $WifiPassword)
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 2
        $r.Calls[0].Args | Should -Be @('--serialport', 'COM5', '--networkdeployment', $r.Calls[0].Args[3])
        $r.Calls[1].Args | Should -Contain '--filedeployment'
        (Get-Content -Raw "$($World.Log).deployed-file.json" | ConvertFrom-Json).server | Should -Be 'wss://irrigation.example.org/'
        $r.Out | Should -Match ([regex]::Escape('CN=Irrigation Test CA'))
    }

    It 'CaCertificate_Sent_IsTheCertificateAsPemEndingInTheNulMbedTlsNeeds' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-CaCertificate', $CaFile)
        $r.ExitCode | Should -Be 0
        $store = Get-SentCaStore $World
        # nanoff's NetworkDeploymentConfiguration: only the CA store is given, so Wi-Fi and network settings stay.
        $store.Keys | Should -Be @('CACertificates', 'SerialPort')
        $store.SerialPort | Should -Be 'COM5'
        $store.Bytes[-1] | Should -Be 0
        $pem = [Text.Encoding]::ASCII.GetString($store.Bytes, 0, $store.Bytes.Length - 1)
        $pem | Should -Match '^-----BEGIN CERTIFICATE-----\n'
        [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem).Thumbprint | Should -Be $Ca.Certificate.Thumbprint
    }

    It 'CaCertificate_PemWithTextAroundAndCrLf_SendsOnlyTheCertificateBlocks' {
        $second = New-TestCa 'Irrigation Intermediate'
        $text = "Bag Attributes`r`n    friendlyName: irrigation`r`n" + ($Ca.Pem -replace "`n", "`r`n") + "`r`nsubject=CN=x`r`n" + $second.Pem
        Set-Content -LiteralPath $CaFile -Value $text -NoNewline
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-CaCertificate', $CaFile)
        $r.ExitCode | Should -Be 0
        $pem = [Text.Encoding]::ASCII.GetString((Get-SentCaStore $World).Bytes)
        $pem | Should -Not -Match 'Bag Attributes|subject=|\r'
        ([regex]::Matches($pem, '-----BEGIN CERTIFICATE-----')).Count | Should -Be 2
    }

    It 'CaCertificate_Alone_WritesOnlyTheCaStoreAndSaysWhenItApplies' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-CaCertificate', $CaFile)
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Calls[0].Args | Should -Contain '--networkdeployment'
        $r.Out | Should -Match 'next connection attempt'
    }

    It 'CaCertificate_AfterRun_DeletesTheTemporaryDeploymentFile' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-CaCertificate', $CaFile)
        $r.ExitCode | Should -Be 0
        Test-Path -LiteralPath $r.Calls[0].Args[3] | Should -BeFalse
    }

    It 'WssServer_WithoutCaCertificate_RefusedBeforeAnythingRuns' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Image', $World.Image, '-Device', 'farm-01', '-Token', $Token, '-Server', 'wss://irrigation.example.org/', '-WifiSsid', 'Farm', '-WifiPassword', $WifiPassword)
        $r.ExitCode | Should -Be 2
        $r.Calls.Count | Should -Be 0
        $r.Err | Should -Match "is wss:// but no -CaCertificate was given"
        $r.Err | Should -Match 'would never connect'
    }

    It 'WsServer_WithoutCaCertificate_NeedsNone' {
        $r = Invoke-Flash $World (@('-SerialPort', 'COM5') + (Get-ProvisionArgs))
        $r.ExitCode | Should -Be 0
        @($r.Calls | Where-Object { $_.Args -contains '--networkdeployment' }).Count | Should -Be 0
    }

    It 'CaStep_NanoffFails_StopsBeforeTheConfiguration' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', $Token, '-Server', 'wss://irrigation.example.org/', '-CaCertificate', $CaFile, '-WifiSsid', 'Farm', '-WifiPassword', $WifiPassword) -Environment @{ FAKE_NANOFF_FAIL_ON = '--networkdeployment' }
        $r.ExitCode | Should -Not -Be 0
        $r.Calls.Count | Should -Be 1
        $r.Err | Should -Match 'write the CA certificate store failed \(nanoff exit code 7\)'
    }

    It 'CaCertificate_DryRun_PrintsTheNetworkDeploymentAndRunsNothing' {
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-CaCertificate', $CaFile, '-DryRun')
        $r.ExitCode | Should -Be 0
        $r.Calls.Count | Should -Be 0
        $r.Out | Should -Match '> nanoff --serialport COM5 --networkdeployment '
    }

    It 'CaCertificate_<Case>_RefusedWithMessage' -ForEach @(
        @{ Case = 'missing file'; Make = 'missing'; Expect = 'does not exist' }
        @{ Case = 'unreadable file'; Make = 'socket'; Expect = 'cannot be read' }
        @{ Case = 'DER, not PEM'; Make = 'der'; Expect = 'is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)' }
        @{ Case = 'broken PEM block'; Make = 'broken'; Expect = 'a certificate block does not parse' }
        @{ Case = 'private key in it'; Make = 'key'; Expect = 'holds a private key' }
        @{ Case = 'expired CA'; Make = 'expired'; Expect = 'expired on' }
    ) {
        $socket = $null
        switch ($Make) {
            'missing' { Remove-Item -LiteralPath $CaFile }
            'socket' {
                # A path that exists but cannot be opened for reading, even by root: a Unix socket.
                Remove-Item -LiteralPath $CaFile
                $socket = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::Unix, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Unspecified)
                $socket.Bind([Net.Sockets.UnixDomainSocketEndPoint]::new($CaFile))
            }
            'der' { [IO.File]::WriteAllBytes($CaFile, $Ca.Certificate.RawData) }
            'broken' { Set-Content -LiteralPath $CaFile -Value "-----BEGIN CERTIFICATE-----`nbm90IGEgY2VydGlmaWNhdGU=`n-----END CERTIFICATE-----`n" -NoNewline }
            'key' { Set-Content -LiteralPath $CaFile -Value ($Ca.Pem + "`n" + $Ca.KeyPem) -NoNewline }
            'expired' { Set-Content -LiteralPath $CaFile -Value (New-TestCa 'Old CA' ([DateTimeOffset]::UtcNow.AddYears(-3)) ([DateTimeOffset]::UtcNow.AddDays(-2))).Pem -NoNewline }
        }
        try {
            $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', $Token, '-Server', 'wss://irrigation.example.org/', '-CaCertificate', $CaFile, '-WifiSsid', 'Farm', '-WifiPassword', $WifiPassword)
        }
        finally {
            if ($socket) { $socket.Dispose() }
        }
        $r.ExitCode | Should -Be 2
        $r.Err | Should -Match ([regex]::Escape($Expect))
        $r.Calls.Count | Should -Be 0
    }
}

Describe 'nanoff-flash.ps1 never prints secrets' {
    BeforeEach { $script:World = New-World }
    AfterEach { Remove-Item -LiteralPath $World.Root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'Secrets_<Case>_NeverInOutput' -ForEach @(
        @{ Case = 'real run'; Extra = @(); Env = @{} }
        @{ Case = 'dry run'; Extra = @('-DryRun'); Env = @{} }
        @{ Case = 'failing nanoff'; Extra = @(); Env = @{ FAKE_NANOFF_FAIL_ON = '--filedeployment' } }
        @{ Case = 'bad input echoing the token'; Extra = @('-Address', 'zz'); Env = @{} }
    ) {
        $arguments = @('-SerialPort', 'COM5', '-Image', $World.Image, '-Verbose') + $Extra + (Get-ProvisionArgs)
        $r = Invoke-Flash $World $arguments -Environment $Env
        $r.All | Should -Not -Match ([regex]::Escape($Token))
        $r.All | Should -Not -Match ([regex]::Escape($WifiPassword))
        $r.All | Should -Match 'farm-01|hex address'   # the run did print something about this board
    }

    It 'Secrets_NanoffEchoingArguments_AreMasked' {
        # The fake echoes its arguments; a secret passed as the device id would be echoed too, and must be masked.
        $r = Invoke-Flash $World @('-SerialPort', 'COM5', '-Device', 'farm-01', '-Token', 'farm-01', '-Server', 'ws://x/', '-WifiSsid', 'Farm', '-WifiPassword', $WifiPassword)
        $r.ExitCode | Should -Be 0
        $r.All | Should -Not -Match 'farm-01'
        $r.All | Should -Match '\*\*\*\*'
    }
}

Describe 'nanoff-flash.ps1 help' {
    It 'GetHelp_Script_HasSynopsisEveryParameterAndExamples' {
        $help = Get-Help $FlashScript -Full
        $help.Synopsis | Should -Match 'ESP32'
        $names = @($help.parameters.parameter.name)
        foreach ($p in 'SerialPort', 'Target', 'UpdateFirmware', 'FirmwareVersion', 'Image', 'Build', 'Address', 'Device', 'Token', 'Server', 'WifiSsid', 'WifiPassword', 'CaCertificate', 'ListPorts', 'DryRun') {
            $names | Should -Contain $p
            ($help.parameters.parameter | Where-Object name -EQ $p).description.Text | Should -Not -BeNullOrEmpty
        }
        @($help.examples.example).Count | Should -BeGreaterOrEqual 4
    }

    It 'GetHelp_Script_DescribesTheWireProtocolDeployTheOutputCheckAndTheReset' {
        $text = (Get-Help $FlashScript -Full | Out-String -Width 200)
        $text | Should -Match '--nanodevice'
        $text | Should -Match 'Error deploying content file'
        $text | Should -Match 'reset'
        $text | Should -Match '0x1E0000'
        $text | Should -Not -Match '0x1D0000'
    }

    It 'GetHelp_Script_DescribesTheCaCertificateAndWhereItGoes' {
        $help = Get-Help $FlashScript -Full
        $ca = ($help.parameters.parameter | Where-Object name -EQ 'CaCertificate').description.Text
        $ca | Should -Match 'PEM'
        $ca | Should -Match 'wss://'
        $ca | Should -Match 'certificate store'
        $text = ($help | Out-String -Width 200)
        $text | Should -Match '--networkdeployment'
        $text | Should -Match 'never provisioned without -CaCertificate'
        $text | Should -Match 'masserase'
        @($help.examples.example | Where-Object { $_.code -match '-CaCertificate' }).Count | Should -BeGreaterOrEqual 1
    }
}
