/*
 * knetbench: knet alone, as the ceiling of any design that carries its
 * messages over knet.  It links libknet directly and sets it up as cpgd
 * does (daemon/net/net_knet.c): one UDP link per peer, the data socket pair
 * knet_handle_add_datafd creates, nss crypto with the key file's bytes
 * and clear traffic refused, no destination filter (every datagram goes to
 * every host, as a Totem broadcast does).
 *
 *   knetbench -l NODEID [-S] [-s SIZE] [-d SECONDS] [-m DATAGRAM] [-w BYTES]
 *             [-p PORT] [-k KEYFILE -c CIPHER -H HASH] [-t TIMEOUT] ID=ADDR...
 *
 * Every process names all nodes (itself too) as ID=ADDR.  The sender (-S)
 * waits until every receiver has said it is ready, then writes SIZE-byte messages to
 * the data socket for -d s, as fast as knet takes them: a message of up to
 * -m bytes (default knet's largest packet, 64 KiB) with the header is one
 * datagram, a larger one is cut into equal datagrams.  knet does not pace a
 * sender (what overruns a receiver is dropped), so the sender keeps at most
 * -w bytes (default 8 MiB, as cpgbench keeps undelivered) beyond the
 * slowest receiver's acknowledgement, which receivers send every 32
 * datagrams.  It starts once every receiver has said it hears the sender
 * and knet has found the path MTU.  Then it sends end markers.  Receivers count the datagrams, check their header and content,
 * and stop at the end marker (or at -t s, an error).  Each process prints
 * one line as cpgbench does: msgs bytes secs msgs_per_s MB_per_s, and
 * lost (datagrams that never came: knet does not retransmit) and errors.
 * A receiver's rate runs from its first to its last complete message.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libknet.h>

#include "bench_util.h"

#define KB_MAGIC 0x4b4e4254u	/* "KNBT" */
#define KB_DATA 1
#define KB_END 2
#define KB_READY 3	/* a receiver's readiness, until data comes */
#define KB_ACK 4	/* a receiver's highest datagram so far */
#define KB_ACK_EVERY 32	/* datagrams between acknowledgements */
#define KB_MAX_NODES 32
#define KB_END_MARKERS 20

struct kb_hdr {
	uint32_t magic;
	uint32_t kind;
	uint64_t seq;		/* datagram number, from 1 */
	uint32_t msg_size;
	uint32_t chunk;		/* this datagram's place in its message */
	uint32_t n_chunks;
	uint32_t len;		/* message bytes in this datagram */
};

struct kb_node {
	uint16_t id;
	struct sockaddr_storage addr;
};

struct kb {
	knet_handle_t kh;
	int datafd;
	int8_t channel;
	uint16_t local;
	struct kb_node nodes[KB_MAX_NODES];
	unsigned n_nodes;
	/* receiver's counts */
	uint64_t msgs, bytes, datagrams, errors;
	uint64_t first_seq, last_seq;
	uint64_t first_ns, last_ns;
	uint32_t run_chunks;	/* chunks of the current message seen in order */
	/* sender's view of the receivers' acknowledgements */
	uint64_t acked[KB_MAX_NODES];
	atomic_uint_fast64_t rx_full;	/* datagrams knet dropped: we were slow */
	atomic_int sock_error;	/* any other error on the data socket */
	atomic_uint data_mtu;	/* knet's path MTU discovery, once it has run */
};

static int parse_node(const char *arg, uint16_t port, struct kb_node *out)
{
	char *end;
	unsigned long id = strtoul(arg, &end, 10);
	struct sockaddr_in *a = (struct sockaddr_in *)&out->addr;

	if (end == arg || *end != '=' || id > UINT16_MAX)
		return -1;
	memset(out, 0, sizeof(*out));
	out->id = (uint16_t)id;
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	return inet_pton(AF_INET, end + 1, &a->sin_addr) == 1 ? 0 : -1;
}

static const struct kb_node *find_node(const struct kb *k, uint16_t id)
{
	unsigned i;

	for (i = 0; i < k->n_nodes; i++)
		if (k->nodes[i].id == id)
			return &k->nodes[i];
	return NULL;
}

/*
 * knet's threads call this with knet's lock held, so it must not call back
 * into knet (knet_handle_remove_datafd would wait for that lock forever).
 * The one error seen here is EAGAIN from the receive thread: this process
 * read too slowly and knet dropped a datagram, which the sequence numbers
 * count as lost.
 */
static void sock_cb(void *priv, int datafd, int8_t channel, uint8_t tx_rx,
		    int error, int errorno)
{
	struct kb *k = priv;

	(void)datafd; (void)channel; (void)error;
	if (tx_rx == KNET_NOTIFY_RX && errorno == EAGAIN)
		atomic_fetch_add(&k->rx_full, 1);
	else
		atomic_store(&k->sock_error, errorno ? errorno : EPIPE);
}

static void pmtud_cb(void *priv, unsigned int data_mtu)
{
	struct kb *k = priv;

	atomic_store(&k->data_mtu, data_mtu);
}

static int die(const char *what)
{
	fprintf(stderr, "knetbench: %s: %s\n", what, strerror(errno));
	return -1;
}

static int setup_crypto(struct kb *k, const char *keyfile, const char *cipher,
			const char *hash)
{
	struct knet_handle_crypto_cfg *c;
	ssize_t n;
	int fd, rc = -1;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return die("crypto");
	fd = open(keyfile, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = die(keyfile);
		goto out;
	}
	n = read(fd, c->private_key, sizeof(c->private_key));
	close(fd);
	if (n <= 0) {
		errno = n < 0 ? errno : ENODATA;
		rc = die(keyfile);
		goto out;
	}
	snprintf(c->crypto_model, sizeof(c->crypto_model), "nss");
	snprintf(c->crypto_cipher_type, sizeof(c->crypto_cipher_type), "%s", cipher);
	snprintf(c->crypto_hash_type, sizeof(c->crypto_hash_type), "%s", hash);
	c->private_key_len = (unsigned)n;
	if (knet_handle_crypto_set_config(k->kh, c, 1) != 0) {
		rc = die("crypto_set_config");
		goto out;
	}
	if (knet_handle_crypto_use_config(k->kh, 1) < 0 ||
	    knet_handle_crypto_rx_clear_traffic(k->kh, KNET_CRYPTO_RX_DISALLOW_CLEAR_TRAFFIC) < 0) {
		rc = die("crypto_use_config");
		goto out;
	}
	rc = 0;
out:
	memset(c, 0, sizeof(*c));
	free(c);
	return rc;
}

static int setup(struct kb *k, const char *keyfile, const char *cipher,
		 const char *hash)
{
	const struct kb_node *self = find_node(k, k->local);
	socklen_t typelen = sizeof(int);
	unsigned i;
	int type = 0;

	if (self == NULL) {
		fprintf(stderr, "knetbench: node %u is not in the node list\n", k->local);
		return -1;
	}
	k->kh = knet_handle_new(k->local, 0, KNET_LOG_ERR);
	if (k->kh == NULL && errno == ENAMETOOLONG)	/* small socket buffers */
		k->kh = knet_handle_new_ex(k->local, 0, KNET_LOG_ERR, 0);
	if (k->kh == NULL)
		return die("handle_new");
	if (knet_handle_enable_sock_notify(k->kh, k, sock_cb) < 0)
		return die("sock_notify");
	if (knet_handle_enable_pmtud_notify(k->kh, k, pmtud_cb) < 0)
		return die("pmtud_notify");
	k->datafd = 0;
	k->channel = 0;
	if (knet_handle_add_datafd(k->kh, &k->datafd, &k->channel) < 0)
		return die("add_datafd");
	/* one read must be one datagram */
	if (getsockopt(k->datafd, SOL_SOCKET, SO_TYPE, &type, &typelen) < 0 ||
	    type == SOCK_STREAM) {
		fprintf(stderr, "knetbench: the data socket is not a datagram socket\n");
		return -1;
	}
	if (keyfile != NULL && setup_crypto(k, keyfile, cipher, hash) < 0)
		return -1;
	for (i = 0; i < k->n_nodes; i++) {
		const struct kb_node *p = &k->nodes[i];

		if (p->id == k->local)
			continue;
		if (knet_host_add(k->kh, p->id) < 0 ||
		    knet_host_set_policy(k->kh, p->id, KNET_LINK_POLICY_PASSIVE) < 0 ||
		    knet_link_set_config(k->kh, p->id, 0, KNET_TRANSPORT_UDP,
					 (struct sockaddr_storage *)&self->addr,
					 (struct sockaddr_storage *)&p->addr, 0) < 0 ||
		    knet_link_set_ping_timers(k->kh, p->id, 0, 200, 1000, 2048) < 0 ||
		    knet_link_set_pong_count(k->kh, p->id, 0, 2) < 0 ||
		    knet_link_set_enable(k->kh, p->id, 0, 1) < 0)
			return die("host and link set-up");
	}
	if (knet_handle_setfwd(k->kh, 1) < 0)
		return die("setfwd");
	return 0;
}

static void teardown(struct kb *k)
{
	unsigned i;

	if (k->kh == NULL)
		return;
	knet_handle_setfwd(k->kh, 0);
	for (i = 0; i < k->n_nodes; i++) {
		uint16_t id = k->nodes[i].id;

		if (id == k->local)
			continue;
		knet_link_set_enable(k->kh, id, 0, 0);
		knet_link_clear_config(k->kh, id, 0);
		knet_host_remove(k->kh, id);
	}
	knet_handle_free(k->kh);
	k->kh = NULL;
}

/* The sender reads its receivers' control datagrams (KB_READY, KB_ACK) for
 * up to wait_ms; returns how many receivers have said they are ready. */
static int read_ctl(struct kb *k, uint8_t *seen, int wait_ms)
{
	static uint8_t buf[KNET_MAX_PACKET_SIZE];
	struct pollfd pfd = { .fd = k->datafd, .events = POLLIN };
	unsigned i, ready = 0;
	struct kb_hdr h;
	ssize_t n;

	if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR)
		return die("poll");
	while (pfd.revents & POLLIN) {
		n = recv(k->datafd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		if (n < (ssize_t)sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		if (h.magic != KB_MAGIC || (h.kind != KB_READY && h.kind != KB_ACK))
			continue;
		for (i = 0; i < k->n_nodes; i++) {
			if (k->nodes[i].id != h.msg_size)
				continue;
			seen[i] = 1;
			if (h.kind == KB_ACK && h.seq > k->acked[i])
				k->acked[i] = h.seq;
		}
	}
	for (i = 0; i < k->n_nodes; i++)
		ready += seen[i];
	return (int)ready;
}

/* The lowest acknowledged datagram over the receivers. */
static uint64_t min_acked(const struct kb *k)
{
	uint64_t m = UINT64_MAX;
	unsigned i;

	for (i = 0; i < k->n_nodes; i++)
		if (k->nodes[i].id != k->local && k->acked[i] < m)
			m = k->acked[i];
	return m;
}

static int send_dgram(struct kb *k, const uint8_t *buf, size_t len)
{
	ssize_t rc;

	struct pollfd pfd = { .fd = k->datafd, .events = POLLOUT };

	/* a full socket is knet's flow control: wait until it takes more */
	for (;;) {
		rc = knet_send(k->kh, (const char *)buf, len, k->channel);
		if (rc >= 0 || (errno != EINTR && errno != EAGAIN))
			break;
		if (errno == EAGAIN && poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
	}
	if (rc < 0)
		return die("knet_send");
	if ((size_t)rc != len) {
		fprintf(stderr, "knetbench: knet_send wrote %zd of %zu\n", rc, len);
		return -1;
	}
	return 0;
}

static int run_sender(struct kb *k, size_t size, size_t max_dgram, size_t window,
		      double secs, uint64_t deadline)
{
	uint8_t seen[KB_MAX_NODES] = { 0 };
	uint64_t win_dgrams, stall_since = 0;
	int ready;
	size_t room = max_dgram - sizeof(struct kb_hdr);
	uint32_t n_chunks = (uint32_t)((size + room - 1) / room);
	size_t per = (size + n_chunks - 1) / n_chunks;
	uint8_t *buf = malloc(sizeof(struct kb_hdr) + per);
	uint64_t seq = 0, start, stop, msgs = 0;
	struct kb_hdr h = { .magic = KB_MAGIC, .kind = KB_DATA, .msg_size = (uint32_t)size,
			    .n_chunks = n_chunks };
	size_t off, i;
	double took;
	int rc = -1;

	if (buf == NULL)
		return die("malloc");
	/* knet carries data both ways only once each side has its link up:
	 * wait until every receiver says it hears us */
	/* and until knet knows the path MTU: before that it cuts datagrams
	 * into pieces of its smallest guess, which is not what it carries */
	while ((ready = read_ctl(k, seen, 100)) + 1 < (int)k->n_nodes ||
	       atomic_load(&k->data_mtu) == 0) {
		if (ready < 0)
			goto out;
		if (bench_now_ns() > deadline) {
			fprintf(stderr, "knetbench: %d of %u receivers ready, MTU %u\n", ready,
				k->n_nodes - 1, atomic_load(&k->data_mtu));
			goto out;
		}
	}
	/* at most -w bytes beyond the slowest receiver's acknowledgement:
	 * knet does not pace a sender, and what overruns a receiver is lost */
	win_dgrams = window / (sizeof(struct kb_hdr) + per);
	if (win_dgrams < 2 * KB_ACK_EVERY)
		win_dgrams = 2 * KB_ACK_EVERY;
	start = bench_now_ns();
	stop = start + (uint64_t)(secs * 1e9);
	while (bench_now_ns() < stop) {
		for (h.chunk = 0, off = 0; h.chunk < n_chunks; h.chunk++, off += h.len) {
			h.len = (uint32_t)(size - off < per ? size - off : per);
			/* window full: wait for acknowledgements; after 100 ms
			 * without one (they were lost), go on */
			while (seq - min_acked(k) >= win_dgrams) {
				if (stall_since == 0)
					stall_since = bench_now_ns();
				else if (bench_now_ns() - stall_since > 100000000u)
					break;
				if (read_ctl(k, seen, 1) < 0)
					goto out;
			}
			stall_since = 0;
			if (read_ctl(k, seen, 0) < 0)
				goto out;
			h.seq = ++seq;
			memcpy(buf, &h, sizeof(h));
			bench_fill(buf + sizeof(h), h.len, h.seq);
			if (send_dgram(k, buf, sizeof(h) + h.len) < 0)
				goto out;
		}
		msgs++;
		if (atomic_load(&k->sock_error)) {
			errno = atomic_load(&k->sock_error);
			die("knet: data socket");
			goto out;
		}
	}
	took = (double)(bench_now_ns() - start) / 1e9;
	memset(&h, 0, sizeof(h));
	h.magic = KB_MAGIC;
	h.kind = KB_END;
	h.seq = seq;	/* the last data datagram */
	memcpy(buf, &h, sizeof(h));
	/* several: knet may drop any one of them */
	for (i = 0; i < KB_END_MARKERS; i++) {
		if (send_dgram(k, buf, sizeof(h)) < 0)
			goto out;
		usleep(5000);
	}
	/* knet's send thread empties the socket before the links go */
	usleep(200000);
	printf("msgs=%" PRIu64 " bytes=%" PRIu64 " secs=%.3f msgs_per_s=%.0f MB_per_s=%.2f"
	       " datagrams=%" PRIu64 " mtu=%u lost=0 errors=0\n", msgs, msgs * size, took,
	       (double)msgs / took, (double)(msgs * size) / took / 1e6, seq,
	       atomic_load(&k->data_mtu));
	rc = 0;
out:
	free(buf);
	return rc;
}

/* One received datagram; 1 at the end marker. */
static int take(struct kb *k, const uint8_t *buf, size_t len)
{
	struct kb_hdr h;

	if (len < sizeof(h)) {
		k->errors++;
		return 0;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != KB_MAGIC) {
		k->errors++;
		return 0;
	}
	if (h.kind == KB_READY || h.kind == KB_ACK)
		return 0;	/* another receiver's */
	if (h.kind == KB_END) {
		if (h.seq > k->last_seq)
			k->last_seq = h.seq;	/* datagrams lost at the end count too */
		return 1;
	}
	if (h.kind != KB_DATA || h.len != len - sizeof(h) || h.chunk >= h.n_chunks ||
	    h.seq == 0 || h.seq <= k->last_seq) {
		k->errors++;	/* malformed, repeated or out of order */
		return 0;
	}
	if (bench_check(buf + sizeof(h), h.len, h.seq) < 0) {
		k->errors++;
		return 0;
	}
	if (k->first_seq == 0)
		k->first_seq = h.seq;
	/* a message counts once all its datagrams came, in order */
	if (h.chunk == 0)
		k->run_chunks = 1;
	else if (h.seq == k->last_seq + 1 && k->run_chunks == h.chunk)
		k->run_chunks++;
	else
		k->run_chunks = 0;
	k->last_seq = h.seq;
	k->datagrams++;
	if (h.chunk + 1 == h.n_chunks && k->run_chunks == h.n_chunks) {
		uint64_t t = bench_now_ns();

		if (k->msgs == 0)
			k->first_ns = t;
		else
			k->bytes += h.msg_size;	/* from the first message's end on */
		k->last_ns = t;
		k->msgs++;
	}
	return 0;
}

static int run_receiver(struct kb *k, uint64_t deadline)
{
	static uint8_t buf[KNET_MAX_PACKET_SIZE];
	struct pollfd pfd = { .fd = k->datafd, .events = POLLIN };
	int flags = fcntl(k->datafd, F_GETFL);
	struct kb_hdr ctl = { .magic = KB_MAGIC, .kind = KB_READY, .msg_size = k->local };
	uint64_t lost, next_ctl = 0, acked = 0;
	double secs;
	ssize_t n;

	if (flags < 0 || fcntl(k->datafd, F_SETFL, flags | O_NONBLOCK) < 0)
		return die("O_NONBLOCK");
	for (;;) {
		if (bench_now_ns() > deadline) {
			fprintf(stderr, "knetbench: no end marker within the time-out "
				"(%" PRIu64 " datagrams)\n", k->datagrams);
			return -1;
		}
		if (atomic_load(&k->sock_error)) {
			errno = atomic_load(&k->sock_error);
			return die("knet: data socket");
		}
		/* say so every 100 ms until the data comes: the first ones
		 * may go before the links are up */
		if (k->datagrams == 0 && bench_now_ns() >= next_ctl) {
			if (send_dgram(k, (const uint8_t *)&ctl, sizeof(ctl)) < 0)
				return -1;
			next_ctl = bench_now_ns() + 100000000u;
		}
		/* acknowledge every KB_ACK_EVERY datagrams, and again after a
		 * quiet poll (an acknowledgement may be lost too) */
		if (k->datagrams > 0 && (k->last_seq >= acked + KB_ACK_EVERY ||
					 !(pfd.revents & POLLIN))) {
			ctl.kind = KB_ACK;
			ctl.seq = acked = k->last_seq;
			if (send_dgram(k, (const uint8_t *)&ctl, sizeof(ctl)) < 0)
				return -1;
		}
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return die("poll");
		while ((n = knet_recv(k->kh, (char *)buf, sizeof(buf), k->channel)) > 0) {
			if (take(k, buf, (size_t)n))
				goto done;
			if (k->last_seq >= acked + KB_ACK_EVERY)
				break;	/* acknowledge first */
		}
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return die("knet_recv");
	}
done:
	secs = k->msgs > 1 ? (double)(k->last_ns - k->first_ns) / 1e9 : 0;
	lost = k->first_seq ? k->last_seq - k->first_seq + 1 - k->datagrams : 0;
	/* bytes exclude the first message: the rate is of the interval after it */
	printf("msgs=%" PRIu64 " bytes=%" PRIu64 " secs=%.3f msgs_per_s=%.0f MB_per_s=%.2f"
	       " datagrams=%" PRIu64 " lost=%" PRIu64 " rx_full=%" PRIu64 " errors=%" PRIu64 "\n",
	       k->msgs, k->bytes, secs, secs > 0 ? (double)(k->msgs - 1) / secs : 0,
	       secs > 0 ? (double)k->bytes / secs / 1e6 : 0, k->datagrams, lost,
	       (uint64_t)atomic_load(&k->rx_full), k->errors);
	return k->msgs > 0 && k->errors == 0 ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: knetbench -l NODEID [-S] [-s SIZE] [-d SECONDS] [-m DATAGRAM] [-w BYTES]\n"
		"                 [-p PORT] [-k KEYFILE -c CIPHER -H HASH] [-t TIMEOUT] ID=ADDR...\n"
		"  -l ID  this node's id (one of the ID=ADDR list)\n"
		"  -S     send (default: receive until the sender's end marker)\n"
		"  -m N   largest datagram, header included (default %d)\n"
		"  -w N   bytes the sender lets go beyond the slowest receiver's\n"
		"         acknowledgement (default 8 MiB, cpgbench's window)\n"
		"  -k F   nss crypto with the key file F, -c cipher and -H hash (aes256, sha256)\n",
		KNET_MAX_PACKET_SIZE);
}

int main(int argc, char **argv)
{
	static struct kb k;
	const char *keyfile = NULL, *cipher = "aes256", *hash = "sha256";
	size_t size = 40000, max_dgram = KNET_MAX_PACKET_SIZE, window = (size_t)8 << 20;
	double secs = 1, timeout = 60;
	unsigned long port = 5405, v;
	int opt, sender = 0, rc, i;
	uint64_t deadline;

	k.local = 0;
	while ((opt = getopt(argc, argv, "l:Ss:d:m:w:p:k:c:H:t:h")) != -1) {
		switch (opt) {
		case 'l':
			v = strtoul(optarg, NULL, 10);
			if (v == 0 || v > UINT16_MAX) {
				usage();
				return 2;
			}
			k.local = (uint16_t)v;
			break;
		case 'S': sender = 1; break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 'd': secs = atof(optarg); break;
		case 'm': max_dgram = strtoul(optarg, NULL, 0); break;
		case 'w': window = strtoul(optarg, NULL, 0); break;
		case 'p': port = strtoul(optarg, NULL, 10); break;
		case 'k': keyfile = optarg; break;
		case 'c': cipher = optarg; break;
		case 'H': hash = optarg; break;
		case 't': timeout = atof(optarg); break;
		default: usage(); return 2;
		}
	}
	if (k.local == 0 || size == 0 || size > UINT32_MAX || port == 0 || port > UINT16_MAX ||
	    max_dgram <= sizeof(struct kb_hdr) + 128 || max_dgram > KNET_MAX_PACKET_SIZE ||
	    secs <= 0 || timeout <= 0 || argc - optind < 2 || argc - optind > KB_MAX_NODES) {
		usage();
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (parse_node(argv[i], (uint16_t)port, &k.nodes[k.n_nodes]) < 0 ||
		    find_node(&k, k.nodes[k.n_nodes].id) != NULL) {
			fprintf(stderr, "knetbench: bad or repeated node %s (ID=IPV4ADDR)\n", argv[i]);
			return 2;
		}
		k.n_nodes++;
	}
	deadline = bench_now_ns() + (uint64_t)(timeout * 1e9);
	rc = setup(&k, keyfile, cipher, hash);
	if (rc == 0)
		rc = sender ? run_sender(&k, size, max_dgram, window, secs, deadline) :
			      run_receiver(&k, deadline);
	fflush(stdout);
	teardown(&k);
	return rc == 0 ? 0 : 1;
}
