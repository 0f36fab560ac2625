using GenerativeSharp.Distributed;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>The ranks' shards of a global batch: contiguous, disjoint, together the whole batch, weights summing to one.</summary>
public sealed class BatchShardTests
{
    [Theory]
    [InlineData(16, 2)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    [InlineData(4, 4)]
    public void ShardsCoverTheBatchOnceInOrder(long global, int size)
    {
        var shards = Enumerable.Range(0, size).Select(rank => BatchShard.Of(global, rank, size)).ToList();
        long next = 0;
        foreach (BatchShard shard in shards)
        {
            Assert.Equal(next, shard.Offset);
            Assert.InRange(shard.Count, global / size, global / size + 1);
            next += shard.Count;
        }
        Assert.Equal(global, next);
        Assert.Equal(1.0, shards.Sum(s => s.Weight), 12);
    }

    [Fact]
    public void ARankOutsideTheJobIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShard.Of(8, 2, 2));
}
