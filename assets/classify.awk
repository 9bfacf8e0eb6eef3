# Assigns each registry OID a kind (measurement | setting | identity | history).
# Run: awk -F, -f assets/classify.awk assets/written.csv registry.csv > assets/registry.csv
# The rules, in order (first match wins), are documented in assets/README.md.
# Input is RFC 4180 CSV; only the `label` column may hold quoted commas, and the fields
# used here (oid, name, group, response_type) never do, so splitting on commas is safe
# for them; the whole line is passed through unchanged.
function kind_of(name, group, rtype,    n) {
    if (rtype == "timeseries" || rtype == "event_table") return "history"
    if (name in written) return "setting"
    # Identity: serial numbers, versions, names and descriptions of the hardware.
    if (name ~ /(^|[._])(inverter_sn|module_sn(\[[0-9]+\])?|bms_sn|prog_sn)$/) return "identity"
    if (name ~ /svnversion|version/ || name == "android_description" ||
        name == "parameter_file" || name == "flash_rtc.time_stamp_factory" ||
        name == "net.id" || name == "wifi.connected_ap_ssid") return "identity"
    # Live readings that merely sound like limits.
    if (name ~ /(max|min)_cell_(voltage|temperature)$/) return "measurement"
    if (name ~ /^battery(_placeholder\[[0-9]+\])?\.cells_stat/) return "measurement"
    if (name ~ /^battery\.soc_target(_high|_low)?$/) return "measurement"
    if (name ~ /^wifi\.(state|result|connect_service_timestamp)$/) return "measurement"
    if (name ~ /^io_board\.(check_.*|s0_sum|s0_external_power|rse_data)$/) return "measurement"
    if (name ~ /^hw_test\.(state|timer2)$/) return "measurement"
    if (name ~ /^(power_mng\.(state|is_grid|is_island_only|is_heiphoss|u_acc_lp|u_acc_mix_lp|amp_hours_measured|bat_next_calib_date|model\.bat_power_change|n_batteries|power_lim_src_index|battery_power))$/) return "measurement"
    # Whole groups that hold configuration only.
    if (group ~ /^(nsm|grid_mon|frt|switch_on_cond|line_mon|grid_lt|display_struct|modbus|cs_neg|cs_map|buf_v_control|temperature|wifi|io_board|hw_test|bat_mng_struct|p_rec)$/ &&
        name !~ /^p_rec_(req|available)/) return "setting"
    # Names that configure: limits, thresholds, targets, modes, enables, schedules, network.
    if (name ~ /schedule|enable|_mode|mode$|threshold|thresh|limit|_lim(\[|$)|_set$|strategy|polarity|usage|_delay|delay$|_grad|password|(^|[._])(ip|mask|gateway|dns_address|port|address)$|cos_phi|power_reduction|calib|time_lim|_buffer$|stop_(dis)?charge|maximum_|minimum_|_max$|_max_|^max_|_min$|^min_|soc_min|soc_max|soc_charge|extern|force_|use_|_allowed|feed_asymmetrical|phase_3_mode|detect_|power_spring|grid_offset|i_bottom_max|current_sensor_max|i_dc_max|i_dc_slow|i_ac_max|start_voltage|fixed_voltage|mpp_step|enable_scan|rescan_correction|u_target|battery_type|n_batteries_set|time_stamp_set|flag_time_auto|quartz_max|load_set|island_max_trials|island_reset|island_next_repeat|master_timeout|slave_timeout|update_slaves|load_reduction|inv_cmd|set_cell|profile_/) return "setting"
    return "measurement"
}
FILENAME ~ /written\.csv$/ {
    if (FNR > 1) { written[$2] = 1; if ($0 ~ /,fraction"?$/) fraction[$2] = 1 }
    next
}
FNR == 1 { sub(/\r$/, ""); print $0 ",kind"; next }
# Devices send these as fractions 0..1 with no unit in the source registry; unit "%" is
# how rcttop marks a fraction (shown x100), so it is filled in here.
function is_fraction(name) {
    return (name in fraction) || name ~ /^battery_placeholder\[[0-9]+\]\.(soc|soh)$/
}
{
    line = $0
    sub(/\r$/, "", line)
    # The second tower's cells are typed as plain strings in the source registry; they are
    # the same composites as their battery.* twins (same payload length and layout).
    if ($2 ~ /^battery_placeholder\[[0-9]+\]\.cells(_stat|_resist)?\[[0-9]+\]$/ && $5 == "string") {
        t = $2 ~ /cells_stat/ ? "battery_module_statistics" : $2 ~ /cells_resist/ ? "battery_module_resistance" : "battery_module_status"
        head = $1 "," $2 "," $3 ","
        rest = substr(line, length(head) + 1)
        sub(/^string,string,/, t "," t ",", rest)
        line = head rest
        $5 = t
    }
    if ($6 == "" && is_fraction($2)) {
        head = $1 "," $2 "," $3 "," $4 "," $5 ","
        line = head "%" substr(line, length(head) + 1)
    }
    print line "," kind_of($2, $3, $5)
}
