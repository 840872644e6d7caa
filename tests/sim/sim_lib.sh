# Shared by the sim_*.sh tests: run one seed range of the simulator.
# SIM_SOAK=K multiplies the number of seeds by K (a longer soak).
: "${top_srcdir:?}" "${top_builddir:?}"
sim_run() {
	count=$1; shift
	soak=${SIM_SOAK:-1}
	last=$((count * soak))
	echo "totemsim --seeds 1-$last $*"
	"$top_builddir/tests/sim/totemsim" --seeds "1-$last" --quiet "$@"
}
