/*
 * pktreplay: capture one frame on an interface and send it again, to test
 * that a replayed packet is not delivered twice.  Runs inside a test's
 * network namespace (AF_PACKET needs CAP_NET_RAW).
 *
 *   pktreplay capture IFACE MINLEN FILE   the first outgoing IPv4 UDP frame
 *                                         with at least MINLEN bytes of UDP
 *                                         payload, written to FILE; prints
 *                                         "ready" once listening
 *   pktreplay send IFACE FILE N           send that frame N times
 *   pktreplay count IFACE FILE SECONDS    how many frames equal to it
 *                                         arrive within SECONDS; prints
 *                                         "ready" once listening
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MAX 65536

static int open_iface(const char *ifname, struct sockaddr_ll *sll)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0) {
		perror("socket(AF_PACKET)");
		exit(1);
	}
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_ALL);
	sll->sll_ifindex = (int)if_nametoindex(ifname);
	if (sll->sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)sll, sizeof(*sll)) < 0) {
		perror(ifname);
		exit(1);
	}
	return fd;
}

/* UDP payload length of an Ethernet/IPv4/UDP frame, or -1. */
static long udp_payload(const unsigned char *f, size_t len)
{
	size_t ihl;

	if (len < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00)
		return -1;
	ihl = (size_t)(f[14] & 0x0f) * 4;
	if ((f[14] >> 4) != 4 || ihl < 20 || f[14 + 9] != 17 ||
	    len < 14 + ihl + 8)
		return -1;
	return (long)(len - 14 - ihl - 8);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *b = malloc(FRAME_MAX);
	FILE *f = fopen(path, "rb");

	if (!b || !f) {
		perror(path);
		exit(1);
	}
	*len = fread(b, 1, FRAME_MAX, f);
	fclose(f);
	if (*len == 0) {
		fprintf(stderr, "%s: empty\n", path);
		exit(1);
	}
	return b;
}

static int do_capture(const char *ifname, long minlen, const char *path)
{
	struct sockaddr_ll sll, from;
	unsigned char *f = malloc(FRAME_MAX);
	int fd = open_iface(ifname, &sll);
	FILE *out;

	if (!f)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, f, FRAME_MAX, 0, (struct sockaddr *)&from, &fl);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvfrom");
			return 1;
		}
		if (from.sll_pkttype != PACKET_OUTGOING ||
		    udp_payload(f, (size_t)n) < minlen)
			continue;
		out = fopen(path, "wb");
		if (!out || fwrite(f, 1, (size_t)n, out) != (size_t)n || fclose(out)) {
			perror(path);
			return 1;
		}
		printf("captured %zd bytes\n", n);
		free(f);
		close(fd);
		return 0;
	}
}

static int do_send(const char *ifname, const char *path, int times)
{
	struct sockaddr_ll sll;
	size_t len;
	unsigned char *f = read_file(path, &len);
	int fd = open_iface(ifname, &sll), i;

	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, f, ETH_ALEN);
	for (i = 0; i < times; i++)
		if (sendto(fd, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) !=
		    (ssize_t)len) {
			perror("sendto");
			return 1;
		}
	printf("sent %d times\n", times);
	free(f);
	close(fd);
	return 0;
}

static int do_count(const char *ifname, const char *path, int seconds)
{
	struct sockaddr_ll sll;
	size_t len;
	unsigned char *want = read_file(path, &len), *f = malloc(FRAME_MAX);
	int fd = open_iface(ifname, &sll), count = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	time_t end = time(NULL) + seconds;

	if (!f)
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(fd, f, FRAME_MAX, 0);
		if (n == (ssize_t)len && memcmp(f, want, len) == 0)
			count++;
	}
	printf("%d\n", count);
	free(want);
	free(f);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "capture"))
		return do_capture(argv[2], atol(argv[3]), argv[4]);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return do_send(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "count"))
		return do_count(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: pktreplay capture IFACE MINLEN FILE | "
		"send IFACE FILE N | count IFACE FILE SECONDS\n");
	return 2;
}
