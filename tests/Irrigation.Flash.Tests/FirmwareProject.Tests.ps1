# The device build (Irrigation.Firmware.nfproj) cannot run on Linux, so these tests check by reading the files
# that it would compile what CI compiles, reference what packages.config restores, and keep the pin rules.

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    $script:AppDir = Join-Path $Repo 'firmware' 'Irrigation.Firmware'
    [xml] $script:Nfproj = Get-Content -Raw (Join-Path $AppDir 'Irrigation.Firmware.nfproj')
    [xml] $script:PackagesConfig = Get-Content -Raw (Join-Path $AppDir 'packages.config')
    $script:Ns = @{ m = 'http://schemas.microsoft.com/developer/msbuild/2003' }

    function Get-SourcesOnDisk([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -Recurse -File -Filter *.cs |
            ForEach-Object { [IO.Path]::GetRelativePath($Folder, $_.FullName).Replace('\', '/') } |
            Where-Object { $_ -notmatch '^(bin|obj|packages)/' } |
            Sort-Object
    }

    $script:Listed = @(Select-Xml -Xml $Nfproj -Namespace $Ns -XPath '//m:Compile/@Include' | ForEach-Object { $_.Node.Value.Replace('\', '/') } | Sort-Object)
    $script:BoardConfig = Get-Content -Raw (Join-Path $AppDir 'BoardConfig.cs')

    function Get-IntArray([string] $Name) {
        $m = [regex]::Match($BoardConfig, "$Name\s*=\s*new int\[\]\s*\{([^}]*)\}")
        if (-not $m.Success) { throw "$Name not found in BoardConfig.cs" }
        @($m.Groups[1].Value.Split(',') | ForEach-Object { [int]$_.Trim() })
    }

    function Get-IntConst([string] $Name) {
        $m = [regex]::Match($BoardConfig, "const int $Name\s*=\s*(\d+)")
        if (-not $m.Success) { throw "$Name not found in BoardConfig.cs" }
        [int]$m.Groups[1].Value
    }
}

Describe 'Irrigation.Firmware.nfproj' {
    It 'Nfproj_CompileItems_ListEveryFirmwareSource' {
        $Listed | Should -Be @(Get-SourcesOnDisk $AppDir)
    }

    It 'Nfproj_CompileItems_ContainNoFacadeOrCheckSource' {
        $Listed | Where-Object { $_ -match 'Facade|NanoCheck|\.\./' } | Should -BeNullOrEmpty
    }

    It 'Nfproj_Imports_TheSharedCoreProjitems' {
        $imports = @(Select-Xml -Xml $Nfproj -Namespace $Ns -XPath '//m:Import/@Project' | ForEach-Object { $_.Node.Value })
        $imports | Should -Contain '..\..\shared\Irrigation.Core\Irrigation.Core.projitems'
    }

    It 'Nfproj_ProjectType_IsNanoFramework' {
        $Nfproj.Project.PropertyGroup.ProjectTypeGuids | Where-Object { $_ } | Should -Match '11A8DD76-328B-46DF-9F39-F559912D0360'
    }

    It 'Nfproj_EveryReference_HasHintPathOfAPackageInPackagesConfig' {
        $packages = @{}
        foreach ($p in $PackagesConfig.packages.package) { $packages["$($p.id).$($p.version)"] = $p.id }
        $references = @(Select-Xml -Xml $Nfproj -Namespace $Ns -XPath '//m:Reference')
        $references.Count | Should -BeGreaterThan 0
        foreach ($ref in $references) {
            $hint = $ref.Node.HintPath
            $hint | Should -Match '^packages\\[^\\]+\\lib\\[^\\]+\.dll$' -Because "reference $($ref.Node.Include)"
            $folder = $hint.Split('\')[1]
            $packages.ContainsKey($folder) | Should -BeTrue -Because "$hint must name an id.version from packages.config"
            ($hint.Split('\')[-1] -replace '\.dll$', '') | Should -Be $ref.Node.Include
        }
    }

    It 'PackagesConfig_EveryPackage_IsReferencedByTheNfproj' {
        $hintFolders = @(Select-Xml -Xml $Nfproj -Namespace $Ns -XPath '//m:Reference/m:HintPath' | ForEach-Object { $_.Node.InnerText.Split('\')[1] })
        foreach ($p in $PackagesConfig.packages.package) {
            $hintFolders | Should -Contain "$($p.id).$($p.version)"
            $p.targetFramework | Should -Be 'netnano1.0'
        }
    }

    It 'PackagesConfig_NanoFrameworkPackages_AllOnCoreLibrary1_17_11' {
        ($PackagesConfig.packages.package | Where-Object id -EQ 'nanoFramework.CoreLibrary').version | Should -Be '1.17.11'
        foreach ($needed in 'nanoFramework.System.Net.WebSockets.Client', 'nanoFramework.Iot.Device.Dhtxx.Esp32', 'nanoFramework.System.Device.Gpio', 'nanoFramework.System.Device.Adc', 'nanoFramework.System.Device.Wifi', 'nanoFramework.Hardware.Esp32', 'nanoFramework.System.IO.Ports', 'nanoFramework.System.IO.FileSystem') {
            @($PackagesConfig.packages.package.id) | Should -Contain $needed
        }
    }

    It 'CheckProject_Compiles_EveryFirmwareSourceFolder' {
        [xml] $check = Get-Content -Raw (Join-Path $Repo 'firmware' 'Irrigation.Firmware.NanoCheck' 'Irrigation.Firmware.NanoCheck.csproj')
        @($check.Project.ItemGroup.Compile | Where-Object { $_.Include } | ForEach-Object Include) | Should -Contain '../Irrigation.Firmware/**/*.cs'
    }

    It 'Repository_ConfigFile_HoldsNoSecrets' {
        $template = Get-Content -Raw (Join-Path $AppDir 'irrigation.template.json') | ConvertFrom-Json
        $template.token | Should -BeNullOrEmpty
        $template.wifi.password | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath $AppDir -Recurse -Filter 'irrigation.json' | Should -BeNullOrEmpty
    }
}

Describe 'BoardConfig.cs pins' {
    BeforeAll {
        $script:Strapping = 0, 2, 5, 12, 15
        $script:Forbidden = @(0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17)
        $script:InputOnly = 34, 35, 36, 37, 38, 39
        $script:Outputs = @(Get-IntArray 'RelayPins') + @((Get-IntConst 'DhtTriggerPin'), (Get-IntConst 'LogTxPin'), (Get-IntConst 'HeartbeatPin'))
        $script:AllDigital = $Outputs + @((Get-IntConst 'DhtEchoPin'), (Get-IntConst 'LogRxPin'))
    }

    It 'Pins_Digital_AvoidStrappingFlashPsramAndUart0' {
        foreach ($pin in $AllDigital + (Get-IntArray 'SoilGpioPins')) {
            $Forbidden | Should -Not -Contain $pin -Because "GPIO$pin is a strapping, flash, PSRAM or UART0 pin"
        }
    }

    It 'Pins_Outputs_AreNotInputOnly' {
        foreach ($pin in $Outputs) { $InputOnly | Should -Not -Contain $pin }
    }

    It 'Pins_AllUses_AreDistinct' {
        $all = $AllDigital + (Get-IntArray 'SoilGpioPins')
        @($all | Sort-Object -Unique).Count | Should -Be $all.Count
    }

    It 'Pins_Dht_UsesTwoDifferentGpios' {
        Get-IntConst 'DhtEchoPin' | Should -Not -Be (Get-IntConst 'DhtTriggerPin')
    }

    It 'Pins_Soil_AreAdc1ChannelsMatchingTheirGpios' {
        # nanoFramework ESP32 logical channels 0-7 are ADC1: GPIO36, 37, 38, 39, 32, 33, 34, 35.
        $adc1 = @{ 0 = 36; 1 = 37; 2 = 38; 3 = 39; 4 = 32; 5 = 33; 6 = 34; 7 = 35 }
        $channels = Get-IntArray 'SoilAdcChannels'
        $gpios = Get-IntArray 'SoilGpioPins'
        $channels.Count | Should -Be $gpios.Count
        for ($i = 0; $i -lt $channels.Count; $i++) {
            $adc1.ContainsKey($channels[$i]) | Should -BeTrue -Because "channel $($channels[$i]) must be on ADC1 (ADC2 stops with Wi-Fi)"
            $adc1[$channels[$i]] | Should -Be $gpios[$i]
        }
    }

    It 'Pins_LogUart_Is115200' {
        Get-IntConst 'LogBaudRate' | Should -Be 115200
    }
}
