# Stand-ins for the Vivado commands of bnnc's system wrapper (project.tcl, bitstream.tcl), for
# plain tclsh. They keep a model of the block design (cells, their pins and interface pins,
# nets, address spaces and segments) and fail as Vivado would, or earlier:
#   - a command Vivado does not have (tclsh: invalid command name);
#   - an IP identifier that is not vendor:library:name:version, or not in the catalog below;
#   - a cell used before it is created, a pin or interface pin the cell does not have (PS
#     ports exist only once the PS configuration enables them);
#   - an interface net that is not one master and one slave, an interface pin connected twice,
#     a net without exactly one driving pin;
#   - at validate_bd_design: a required pin left unconnected, a slave segment reachable from an
#     address space but not assigned in it (or assigned but unreachable), overlapping or
#     misaligned address ranges.
# The project's state is a file (the .xpr), so bitstream.tcl runs in a second tclsh as Vivado
# runs it in a second process. Before sourcing a script with the HLS IP, define it:
#   stub_hls_ip VLNV IN_PORT OUT_PORT
# A module reference is described from its Verilog (ip_module); at synth_1 every memory file a
# Verilog source names must be a project file.

set ::cells [dict create]          ;# name -> {vlnv V config {KEY value ...}}
set ::intf_nets [dict create]      ;# cell/intf -> peer cell/intf
set ::net_pins [dict create]       ;# cell/pin -> 1 when on a net
set ::assigned [list]              ;# {space segment offset range}
set ::catalog [dict create]        ;# vlnv -> proc that describes the IP
set ::project [dict create]
set ::version 2020.2
if {[info exists ::env(BNNC_STUB_VIVADO_VERSION)]} { set ::version $::env(BNNC_STUB_VIVADO_VERSION) }

proc fail {message} { error "vivado stub: $message" }
proc option {args name {default ""}} {
    set i [lsearch -exact $args $name]
    if {$i < 0} { return $default }
    return [lindex $args [expr {$i + 1}]]
}
proc handle {kind value} { return "$kind:$value" }
proc unhandle {kind object} {
    if {![string match "$kind:*" $object]} { fail "expected a $kind object, got '$object'" }
    return [string range $object [string length "$kind:"] end]
}

# -- the IP catalog ------------------------------------------------------------------------
# An IP is described by a proc of its cell's config returning a dict with
#   pins {name {dir I|O required 0|1}}  intf {name {mode master|slave segs {..} space ..}}
proc pin {dir {required 1}} { return [dict create dir $dir required $required] }
proc intf {mode args} { return [dict create mode $mode {*}$args] }
proc config_of {config key default} {
    if {[dict exists $config CONFIG.$key]} { return [dict get $config CONFIG.$key] }
    return $default
}

# A master's `window` is {first size}: the addresses it can reach (Zynq-7000 TRM, UG585, system
# address map: M_AXI_GP0 0x4000_0000..0x7FFF_FFFF; Zynq UltraScale+ TRM, UG1085: M_AXI_HPM0_FPD's
# low window 0xA000_0000..0xAFFF_FFFF). Segments assigned outside it fail at validate_bd_design.
proc ip_ps7 {config} {
    set pins [dict create FCLK_CLK0 [pin O 0] FCLK_RESET0_N [pin O 0]]
    set intfs [dict create DDR [intf slave] FIXED_IO [intf slave]]
    if {[config_of $config PCW_USE_M_AXI_GP0 0]} {
        dict set pins M_AXI_GP0_ACLK [pin I]
        dict set intfs M_AXI_GP0 [intf master space Data window {0x40000000 0x40000000}]
    }
    if {[config_of $config PCW_USE_S_AXI_HP0 0]} {
        dict set pins S_AXI_HP0_ACLK [pin I]
        dict set intfs S_AXI_HP0 [intf slave segs {HP0_DDR_LOWOCM}]
    }
    return [dict create pins $pins intf $intfs]
}
# The Zynq UltraScale+ PS (PG201) after its board preset: the FPD masters M_AXI_HPM0_FPD (GP0)
# and M_AXI_HPM1_FPD (GP1) are on by default, each with a clock input that must be driven; the
# LPD master (GP2) and the HP slaves (S_AXI_GP2..5 = S_AXI_HP0..3_FPD) are off. pl_clk0 and
# pl_resetn0 exist once PL clock 0 is enabled. No DDR or fixed-I/O interfaces: the PS's DDR
# and MIO pins are not block-design ports.
proc ip_zynq_ultra_ps_e {config} {
    set pins [dict create]
    set intfs [dict create]
    if {[config_of $config PSU__FPGA_PL0_ENABLE 1]} {
        dict set pins pl_clk0 [pin O 0]
        dict set pins pl_resetn0 [pin O 0]
    }
    foreach {gp default name clock window} {
        0 1 M_AXI_HPM0_FPD maxihpm0_fpd_aclk {0xA0000000 0x10000000}
        1 1 M_AXI_HPM1_FPD maxihpm1_fpd_aclk {0xB0000000 0x10000000}
        2 0 M_AXI_HPM0_LPD maxihpm0_lpd_aclk {0x80000000 0x20000000}
    } {
        if {[config_of $config PSU__USE__M_AXI_GP$gp $default]} {
            dict set pins $clock [pin I]
            dict set intfs $name [intf master space Data window $window]
        }
    }
    foreach {gp port} {2 0 3 1 4 2 5 3} {
        if {[config_of $config PSU__USE__S_AXI_GP$gp 0]} {
            set width [config_of $config PSU__SAXIGP${gp}__DATA_WIDTH 128]
            if {$width ni {32 64 128}} { fail "PSU__SAXIGP${gp}__DATA_WIDTH $width is not 32, 64 or 128" }
            dict set pins saxihp${port}_fpd_aclk [pin I]
            dict set intfs S_AXI_HP${port}_FPD [intf slave segs [list HP${port}_DDR_LOW]]
        }
    }
    return [dict create pins $pins intf $intfs]
}
proc ip_axi_dma {config} {
    set pins [dict create s_axi_lite_aclk [pin I] m_axi_mm2s_aclk [pin I] m_axi_s2mm_aclk [pin I] \
        axi_resetn [pin I] mm2s_introut [pin O 0] s2mm_introut [pin O 0]]
    set intfs [dict create S_AXI_LITE [intf slave segs {Reg}] M_AXI_MM2S [intf master space Data_MM2S] \
        M_AXI_S2MM [intf master space Data_S2MM] M_AXIS_MM2S [intf master] S_AXIS_S2MM [intf slave]]
    if {[config_of $config c_include_sg 1]} {  ;# scatter-gather (the default) has a port more
        dict set pins m_axi_sg_aclk [pin I]
        dict set intfs M_AXI_SG [intf master space Data_SG]
    }
    return [dict create pins $pins intf $intfs]
}
proc ip_axi_interconnect {config} {
    set pins [dict create ACLK [pin I] ARESETN [pin I]]
    set intfs [dict create]
    foreach {side count mode} [list S [config_of $config NUM_SI 1] slave M [config_of $config NUM_MI 2] master] {
        for {set i 0} {$i < $count} {incr i} {
            set port [format "%s%02d" $side $i]
            dict set pins ${port}_ACLK [pin I]
            dict set pins ${port}_ARESETN [pin I]
            dict set intfs ${port}_AXI [intf $mode interconnect 1]
        }
    }
    return [dict create pins $pins intf $intfs]
}
proc ip_proc_sys_reset {config} {
    set pins [dict create slowest_sync_clk [pin I] ext_reset_in [pin I]]
    foreach name {aux_reset_in mb_debug_sys_rst dcm_locked} { dict set pins $name [pin I 0] }
    foreach name {mb_reset bus_struct_reset peripheral_reset interconnect_aresetn peripheral_aresetn} {
        dict set pins $name [pin O 0]
    }
    return [dict create pins $pins intf [dict create]]
}
dict set ::catalog xilinx.com:ip:processing_system7:5.5 ip_ps7
dict set ::catalog xilinx.com:ip:zynq_ultra_ps_e:3.3 ip_zynq_ultra_ps_e
dict set ::catalog xilinx.com:ip:axi_dma:7.1 ip_axi_dma
dict set ::catalog xilinx.com:ip:axi_interconnect:2.1 ip_axi_interconnect
dict set ::catalog xilinx.com:ip:proc_sys_reset:5.0 ip_proc_sys_reset

# The HLS top as Vivado HLS exports it: AXI-stream ports, AXI-lite `control` (segment Reg).
# It joins the catalog at update_ip_catalog, from the IP repository.
proc stub_hls_ip {vlnv in_port out_port} {
    set ::hls_ports [list $in_port $out_port]
    set ::hls_vlnv $vlnv
}
proc ip_hls {config} {
    lassign $::hls_ports in_port out_port
    return [dict create pins [dict create ap_clk [pin I] ap_rst_n [pin I] interrupt [pin O 0]] \
        intf [dict create $in_port [intf slave required 1] $out_port [intf master required 1] \
        s_axi_control [intf slave segs {Reg} required 1]]]
}

proc describe {cell} {
    if {![dict exists $::cells $cell]} { fail "cell '$cell' is used before it is created" }
    set vlnv [dict get $::cells $cell vlnv]
    return [[dict get $::catalog $vlnv] [dict get $::cells $cell config]]
}
proc split_pin {path} {
    set i [string first / $path]
    if {$i < 0} { fail "'$path' is not cell/pin" }
    return [list [string range $path 0 [expr {$i - 1}]] [string range $path [expr {$i + 1}] end]]
}
proc pin_info {path} {
    lassign [split_pin $path] cell name
    set pins [dict get [describe $cell] pins]
    if {![dict exists $pins $name]} { fail "cell '$cell' has no pin '$name' (pins: [dict keys $pins])" }
    return [dict get $pins $name]
}
proc intf_info {path} {
    lassign [split_pin $path] cell name
    set intfs [dict get [describe $cell] intf]
    if {![dict exists $intfs $name]} { fail "cell '$cell' has no interface pin '$name' (interfaces: [dict keys $intfs])" }
    return [dict get $intfs $name]
}

# -- project and block design --------------------------------------------------------------
proc save_project {} {
    set f [open [dict get $::project xpr] w]
    puts $f $::project
    close $f
}
proc create_project {args} {
    set positional [lsearch -all -inline -not -glob [lreplace $args [lsearch -exact $args -part] [expr {[lsearch -exact $args -part] + 1}]] -*]
    lassign $positional name dir
    if {$dir eq ""} { fail "create_project NAME DIR -part PART" }
    set part [option $args -part]
    # Zynq-7000 (xc7z020clg400-1) or Zynq UltraScale+ (xczu7ev-ffvc1156-2-e)
    if {![regexp {^xc7z\d+\w+-\d$} $part] && ![regexp {^xczu\d+(cg|eg|ev)-\w+-\d-[eil]$} $part]} { fail "bad part '$part'" }
    file mkdir $dir
    set ::project [dict create name $name dir $dir part $part xpr [file join $dir $name.xpr] properties {}]
    save_project
    return [handle project $name]
}
proc current_project {} { return [handle project [dict get $::project name]] }
proc current_fileset {} { return [handle fileset sources_1] }
proc update_ip_catalog {args} {
    set repos [dict get $::project properties ip_repo_paths]
    foreach repo $repos { if {![file isdirectory $repo]} { fail "no IP repository $repo" } }
    if {[llength $repos] && [info exists ::hls_vlnv]} { dict set ::catalog $::hls_vlnv ip_hls }
}
proc set_property {args} {
    if {[lindex $args 0] eq "-dict"} {
        set pairs [lindex $args 1]
        set objects [lrange $args 2 end]
    } else {
        set pairs [lrange $args 0 1]
        set objects [lrange $args 2 end]
    }
    if {[llength $pairs] % 2 != 0 || [llength $objects] != 1} { fail "set_property $args" }
    set object [lindex $objects 0]
    if {[string match cell:* $object]} {
        set cell [unhandle cell $object]
        dict for {key value} $pairs {
            if {![string match CONFIG.* $key]} { fail "cell property $key is not a CONFIG parameter" }
            dict set ::cells $cell config $key $value
        }
        describe $cell  ;# the new configuration must still describe the IP
    } elseif {[string match project:* $object] || [string match fileset:* $object]} {
        dict for {key value} $pairs {
            if {$key ni {board_part ip_repo_paths top}} { fail "unexpected project property $key" }
            dict set ::project properties $key $value
        }
        save_project
    } else {
        fail "set_property on '$object'"
    }
}
proc create_bd_design {name} {
    dict set ::project bd $name
    save_project
}
# A module reference (create_bd_cell -type module -reference MODULE): an RTL module of the
# project's sources (after update_compile_order), its interfaces as Vivado infers them from the
# X_INTERFACE_INFO attributes on its ports: an AXI-stream whose TDATA is an input is a slave,
# an AXI memory-mapped interface whose AWADDR is an input is a slave with the segment reg0;
# clock and reset signals are pins.
proc module_source {module} {
    if {![dict exists $::project compile_order]} { fail "module reference before update_compile_order" }
    foreach path [dict get $::project files] {
        if {[file extension $path] ne ".v"} { continue }
        set f [open $path]
        set text [read $f]
        close $f
        if {[regexp "\\mmodule\\s+$module\\M" $text]} { return $text }
    }
    fail "module '$module' is not in the project's sources"
}
proc ip_module {config} {
    set text [module_source [dict get $config module]]
    set pins [dict create]
    set intfs [dict create]
    set attribute {\(\*\s*X_INTERFACE_INFO\s*=\s*"(\S+)\s+(\w+)\s+(\w+)"\s*\*\)\s*(?:\(\*[^*]*\*\)\s*)*(input|output)}
    foreach {- vlnv name logical dir} [regexp -all -inline $attribute $text] {
        if {[string match xilinx.com:signal:* $vlnv]} {
            dict set pins $name [pin [expr {$dir eq "input" ? "I" : "O"}]]
        } elseif {[string match xilinx.com:interface:axis:* $vlnv] && $logical eq "TDATA"} {
            dict set intfs $name [intf [expr {$dir eq "input" ? "slave" : "master"}] required 1]
        } elseif {[string match xilinx.com:interface:aximm:* $vlnv] && $logical eq "AWADDR"} {
            if {$dir ne "input"} { fail "module AXI master interfaces are not modelled" }
            dict set intfs $name [intf slave segs {reg0} required 1]
        }
    }
    if {![dict size $intfs]} { fail "module '[dict get $config module]' declares no interfaces" }
    return [dict create pins $pins intf $intfs]
}
proc create_bd_cell {args} {
    set vlnv [option $args -vlnv]
    set name [lindex $args end]
    if {[option $args -type] eq "module"} {
        set module [option $args -reference]
        if {[dict exists $::cells $name]} { fail "cell '$name' exists already" }
        if {![dict exists $::project bd]} { fail "create_bd_cell before create_bd_design" }
        dict set ::cells $name [dict create vlnv module:$module config [dict create module $module]]
        dict set ::catalog module:$module ip_module
        describe $name
        return [handle cell $name]
    }
    if {[option $args -type] ne "ip"} { fail "create_bd_cell -type ip -vlnv VLNV NAME" }
    if {![regexp {^[\w.-]+:[\w.-]+:[\w.-]+:\d+\.\d+$} $vlnv]} { fail "malformed IP identifier '$vlnv' (vendor:library:name:version)" }
    if {![dict exists $::catalog $vlnv]} { fail "IP '$vlnv' is not in the catalog" }
    if {[dict exists $::cells $name]} { fail "cell '$name' exists already" }
    if {![dict exists $::project bd]} { fail "create_bd_cell before create_bd_design" }
    dict set ::cells $name [dict create vlnv $vlnv config {}]
    return [handle cell $name]
}
proc get_bd_cells {name} { describe $name; return [handle cell $name] }
proc get_bd_pins {path} { pin_info $path; return [handle pin $path] }
proc get_bd_intf_pins {path} { intf_info $path; return [handle intf $path] }
proc get_bd_addr_spaces {path} {
    lassign [split_pin $path] cell space
    dict for {name info} [dict get [describe $cell] intf] {
        if {[dict exists $info space] && [dict get $info space] eq $space} { return [handle space $path] }
    }
    fail "cell '$cell' has no address space '$space'"
}
proc get_bd_addr_segs {path} {
    set parts [split $path /]
    if {[llength $parts] != 3} { fail "'$path' is not cell/interface/segment" }
    lassign $parts cell name seg
    set info [intf_info $cell/$name]
    if {![dict exists $info segs] || $seg ni [dict get $info segs]} { fail "no address segment '$path'" }
    return [handle seg $path]
}
proc apply_bd_automation {args} {
    set rule [option $args -rule]
    if {![regexp {^[\w.-]+:bd_rule:[\w.-]+$} $rule]} { fail "malformed automation rule '$rule'" }
    set cell [unhandle cell [lindex $args end]]
    # The rule of a PS is named after its IP (bd_rule:processing_system7, bd_rule:zynq_ultra_ps_e).
    set ip [lindex [split [dict get $::cells $cell vlnv] :] 2]
    if {$ip ni {processing_system7 zynq_ultra_ps_e} || [lindex [split $rule :] 2] ne $ip} { fail "rule $rule on '$cell'" }
    set config [option $args -config]
    if {![string match {*apply_board_preset "1"*} $config]} { fail "the board preset is not applied" }
    if {![dict exists $::project properties board_part]} { fail "board preset without a board part" }
    if {[regexp {make_external "([^"]*)"} $config -> externals]} {
        foreach external [split [string map {" " ""} $externals] ,] {
            intf_info $cell/$external  ;# only interfaces the PS has can be made external
            dict set ::intf_nets $cell/$external external
        }
    }
}
proc connect_bd_intf_net {a b} {
    set a [unhandle intf $a]
    set b [unhandle intf $b]
    set modes [lsort [list [dict get [intf_info $a] mode] [dict get [intf_info $b] mode]]]
    if {$modes ne {master slave}} { fail "interface net $a -- $b is $modes, not master -- slave" }
    foreach path [list $a $b] {
        if {[dict exists $::intf_nets $path]} { fail "interface pin $path is connected twice" }
    }
    dict set ::intf_nets $a $b
    dict set ::intf_nets $b $a
}
proc connect_bd_net {args} {
    set drivers 0
    foreach object $args {
        set path [unhandle pin $object]
        if {[dict get [pin_info $path] dir] eq "O"} { incr drivers }
        if {[dict exists $::net_pins $path]} { fail "pin $path is on two nets" }
        dict set ::net_pins $path 1
    }
    if {$drivers != 1} { fail "net [join $args] has $drivers driving pins" }
}
proc bytes {range} {
    if {![regexp {^(\d+)([KMG])$} $range -> n unit]} { fail "bad range '$range'" }
    return [expr {$n << [dict get {K 10 M 20 G 30} $unit]}]
}
proc assign_bd_address {args} {
    set space [unhandle space [option $args -target_address_space]]
    set seg [unhandle seg [lindex $args end]]
    set offset [option $args -offset]
    set range [bytes [option $args -range]]
    if {![regexp {^0x[0-9A-Fa-f]{8}$} $offset] || $offset % $range != 0} { fail "offset $offset is not aligned to its range" }
    lappend ::assigned [list $space $seg [expr {$offset}] $range]
}

# What each address space reaches: from its master interface, through interconnects, to slaves.
proc reachable {cell space} {
    set start ""
    dict for {name info} [dict get [describe $cell] intf] {
        if {[dict exists $info space] && [dict get $info space] eq $space} { set start $cell/$name }
    }
    set found {}
    set todo [list $start]
    set seen [dict create]
    while {[llength $todo]} {
        set todo [lassign $todo path]
        if {[dict exists $seen $path] || ![dict exists $::intf_nets $path]} { continue }
        dict set seen $path 1
        set peer [dict get $::intf_nets $path]
        if {$peer eq "external"} { continue }
        lassign [split_pin $peer] peer_cell peer_name
        set info [intf_info $peer]
        if {[dict exists $info interconnect]} {
            dict for {name other} [dict get [describe $peer_cell] intf] {
                if {[dict get $other mode] eq "master"} { lappend todo $peer_cell/$name }
            }
        } elseif {[dict exists $info segs]} {
            foreach seg [dict get $info segs] { lappend found $peer/$seg }
        }
    }
    return $found
}
proc validate_bd_design {args} {
    dict for {cell _} $::cells {
        set description [describe $cell]
        dict for {name info} [dict get $description pins] {
            if {[dict get $info required] && ![dict exists $::net_pins $cell/$name]} { fail "pin $cell/$name is not connected" }
        }
        dict for {name info} [dict get $description intf] {
            if {([dict exists $info required] || [dict get $info mode] eq "master" || [dict exists $info segs])
                && ![dict exists $::intf_nets $cell/$name]} { fail "interface pin $cell/$name is not connected" }
        }
        dict for {name info} [dict get $description intf] {
            if {![dict exists $info space]} { continue }
            set space $cell/[dict get $info space]
            set mine [lmap a $::assigned {expr {[lindex $a 0] eq $space ? [lindex $a 1] : [continue]}}]
            foreach seg [reachable $cell [dict get $info space]] {
                if {$seg ni $mine} { fail "address segment $seg is not assigned in $space" }
            }
            foreach seg $mine {
                if {$seg ni [reachable $cell [dict get $info space]]} { fail "$seg is assigned in $space but not reachable" }
            }
            if {[dict exists $info window]} {
                lassign [dict get $info window] first size
                foreach a $::assigned {
                    lassign $a a_space seg offset range
                    if {$a_space eq $space && ($offset < $first || $offset + $range > $first + $size)} {
                        fail "$seg at [format 0x%08X $offset] is outside $cell/$name's window [format 0x%08X $first]..[format 0x%08X [expr {$first + $size - 1}]]"
                    }
                }
            }
        }
    }
    foreach a $::assigned {
        foreach b $::assigned {
            if {$a ne $b && [lindex $a 0] eq [lindex $b 0] && [lindex $a 2] < [lindex $b 2] + [lindex $b 3]
                && [lindex $b 2] < [lindex $a 2] + [lindex $a 3]} { fail "address ranges overlap: $a and $b" }
        }
    }
    dict set ::project validated 1
    save_project
}
proc save_bd_design {args} {}
proc generated_dir {} {
    set kind [expr {[package vcompare $::version 2020.2] >= 0 ? "gen" : "srcs"}]
    return [file join [dict get $::project dir] [dict get $::project name].$kind sources_1 bd [dict get $::project bd]]
}
proc get_files {args} {
    set name [lindex $args end]
    if {$name ne "[dict get $::project bd].bd"} { fail "no file $name in the project" }
    return [handle file [file join [generated_dir] $name]]
}
proc generate_target {what file} {
    if {![dict exists $::project validated]} { fail "generate_target before validate_bd_design" }
    unhandle file $file
    file mkdir [file join [generated_dir] hw_handoff]
    close [open [file join [generated_dir] hw_handoff [dict get $::project bd].hwh] w]
}
proc make_wrapper {args} {
    unhandle file [option $args -files]
    set path [file join [generated_dir] hdl [dict get $::project bd]_wrapper.v]
    file mkdir [file dirname $path]
    close [open $path w]
    dict set ::project wrapper [dict get $::project bd]_wrapper
    save_project
    return $path
}
proc add_files {args} {
    set paths [lindex $args end]  ;# one file or a list of files
    if {![llength $paths]} { fail "add_files: no files" }
    foreach path $paths {
        if {![file exists $path]} { fail "add_files: no such file $path" }
        dict lappend ::project files $path
    }
    save_project
}
proc update_compile_order {args} {
    if {[option $args -fileset] ne "sources_1"} { fail "update_compile_order -fileset sources_1" }
    dict set ::project compile_order 1
    save_project
}
# Synthesis reads $readmemh files given by bare name from the project's files: every .mem name
# a Verilog source of the project mentions must be one of them.
proc check_memory_files {} {
    set memories [lmap path [dict get $::project files] {expr {[file extension $path] eq ".mem" ? [file tail $path] : [continue]}}]
    foreach path [dict get $::project files] {
        if {[file extension $path] ne ".v"} { continue }
        set f [open $path]
        set text [read $f]
        close $f
        foreach {- name} [regexp -all -inline {\.\w+\(\s*"([\w.-]+\.mem)"\s*\)} $text] {  ;# .PARAM("x.mem")
            if {$name ni $memories} { fail "synthesis: \$readmemh cannot find '$name' (not a project file)" }
        }
    }
}
proc close_project {} {}

# -- bitstream.tcl: runs over the project file ------------------------------------------------
proc open_project {path} {
    if {![file exists $path]} { fail "no project $path (run project.tcl first)" }
    set f [open $path]
    set ::project [read $f]
    close $f
    foreach key {wrapper validated} {
        if {![dict exists $::project $key]} { fail "the project has no $key" }
    }
    if {[dict get $::project properties top] ne [dict get $::project wrapper]} { fail "the top is not the wrapper" }
}
proc get_runs {name} {
    if {$name ni {synth_1 impl_1}} { fail "no run $name" }
    return [handle run $name]
}
proc reset_run {run} { unhandle run [get_runs $run] }
proc run_dir {run} { return [file join [dict get $::project dir] [dict get $::project name].runs $run] }
proc launch_runs {args} {
    set run [lindex [lsearch -all -inline -not -glob $args -*] 0]
    if {$run eq "synth_1" && [dict exists $::project files]} { check_memory_files }
    if {$run eq "impl_1"} {
        if {![dict exists $::project done synth_1]} { fail "impl_1 before synth_1" }
        if {[option $args -to_step] ne "write_bitstream"} { fail "impl_1 must run to write_bitstream" }
        file mkdir [run_dir impl_1]
        close [open [file join [run_dir impl_1] [dict get $::project wrapper].bit] w]
    }
    dict set ::project done $run 1
}
proc wait_on_run {run} { get_runs $run }
proc get_property {name object} {
    set run [unhandle run $object]
    switch -- $name {
        PROGRESS { return [expr {[dict exists $::project done $run] ? "100%" : "0%"}] }
        STATUS { return "complete" }
        DIRECTORY { return [run_dir $run] }
        STATS.WNS { return 0.125 }
        default { fail "get_property $name of a run" }
    }
}
proc open_run {run} { if {![dict exists $::project done $run]} { fail "open_run $run before it ran" } }
proc write_report {args} { close [open [option $args -file] w] }
proc report_utilization {args} { write_report {*}$args }
proc report_timing_summary {args} { write_report {*}$args }
proc version {args} { if {$args ne "-short"} { fail "version $args" }; return $::version }
proc write_hw_platform {args} {
    if {[package vcompare $::version 2019.2] < 0} { fail "write_hw_platform is new in 2019.2" }
    write_report {*}$args
}
proc write_hwdef {args} {
    if {[package vcompare $::version 2019.2] >= 0} { fail "write_hwdef is gone since 2019.2" }
    write_report {*}$args
}

# For the test: the model after a script, one `key value` line per fact.
proc stub_report {} {
    puts "cells [lsort [dict keys $::cells]]"
    dict for {cell info} $::cells { puts "cell $cell [dict get $info vlnv]" }
    foreach a $::assigned { puts "address $a" }
    dict for {key value} $::project { puts "project $key $value" }
}
