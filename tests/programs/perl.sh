#!/usr/bin/env bash
# Perl under the library: a hash of a million keys built and sorted, then
# thinned, partly rewritten with regexes and regrown, and a numeric sort, all
# printed as digests; and ithreads (each thread clones the interpreter) doing
# hash and string work at once.
# Usage: bash tests/programs/perl.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

cat >"$pg_in/hash.pl" <<'PL'
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);

# A fixed linear congruential generator: same numbers everywhere.
my $x = 12345;
sub rnd { $x = ($x * 1103515245 + 12345) % 2147483648; return $x; }

my %h;
for my $i (0 .. 999_999) {
	my $k = sprintf("%08x-%d", rnd(), $i);
	$h{$k} = join(",", $i, ("v" x ($i % 13)), $i * 7);
}
my @keys = sort keys %h;
my ($kb, $vb) = (0, 0);
$kb += length($_) for @keys;
$vb += length($h{$_}) for @keys;
print "entries ", scalar(@keys), " key bytes $kb value bytes $vb\n";
print "first $keys[0] last $keys[-1]\n";
print "sorted ", sha256_hex(join("\n", map { "$_=$h{$_}" } @keys)), "\n";

# thin out, rewrite values with regexes, grow again
delete @h{ @keys[ grep { $_ % 2 == 0 } 0 .. $#keys ] };
my $n = 0;
for my $v (values %h) { $v =~ s/(v+)/uc($1) . length($1)/e if $n++ % 8 == 0; }
for my $i (0 .. 99_999) { $h{"new-$i"} = [ ($i) x ($i % 7) ]; }
@keys = sort keys %h;
print "regrown ", scalar(@keys), " ",
	sha256_hex(join("\n", map { ref $h{$_} ? "$_=@{$h{$_}}" : "$_=$h{$_}" } @keys)), "\n";

# numeric sort of a big array
my @n = map { rnd() % 1000003 } 1 .. 200_000;
my @s = sort { $a <=> $b } @n;
print "numeric sort $s[0] $s[100000] $s[-1] ", sha256_hex(join(",", @s)), "\n";
PL

cat >"$pg_in/threads.pl" <<'PL'
use strict;
use warnings;
use threads;
use Digest::SHA qw(sha256_hex);

sub work {
	my ($t) = @_;
	my $x = 1000 + $t;
	my %h;
	my @out;
	for my $i (1 .. 60_000) {
		$x = ($x * 1103515245 + 12345) % 2147483648;
		my $k = "k" . ($x % 20000);
		if (exists $h{$k} && $x % 3 == 0) {
			push @out, length(delete $h{$k});
		} else {
			$h{$k} .= ("x" x ($x % 300)) . $i;
		}
	}
	return sha256_hex(join(",", @out, map { "$_=" . length($h{$_}) } sort keys %h));
}

my @thr = map { threads->create(\&work, $_) } 0 .. 3;
print "$_ ", $thr[$_]->join(), "\n" for 0 .. 3;
PL

pg_check_maps
pg_check perl-hash-1M-keys /usr/bin/perl "$pg_in/hash.pl"
pg_check perl-ithreads /usr/bin/perl "$pg_in/threads.pl"

pg_finish
