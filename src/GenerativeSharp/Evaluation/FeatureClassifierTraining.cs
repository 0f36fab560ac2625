using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The recipe of the feature networks: Adam 1e-3, batch 128, cross-entropy, seeded initialisation and
/// epoch order, images in [0, 1] as loaded (no augmentation). Takes any labelled train and test splits
/// (one data set, or the union of several folders) and reports test accuracy after each epoch.
/// </summary>
public static class FeatureClassifierTraining
{
    /// <summary>
    /// Trains a <see cref="FeatureClassifier"/> for <paramref name="inputShape"/> [C, S, S] images and
    /// <paramref name="classes"/> classes on <paramref name="train"/>; the accuracy is on <paramref name="test"/>.
    /// </summary>
    public static FeatureClassifierResult Train(TensorDataset train, TensorDataset test, int classes, long[] inputShape,
        int epochs, long seed, Device device, TextWriter log, int batchSize = 128, double learningRate = 1e-3)
    {
        if (train.Labels is null || test.Labels is null)
            throw new InvalidInputException("the data has no class labels; the feature network is a classifier.");
        if (inputShape.Length != 3 || inputShape[0] is not (1 or 3) || inputShape[1] != inputShape[2] || !FeatureClassifier.Sides.Contains((int)inputShape[1]))
            throw new InvalidInputException($"the feature network takes [1 or 3, S, S] images with S in {string.Join(", ", FeatureClassifier.Sides)} " +
                $"(read image folders with --image-size); got [{string.Join(", ", inputShape)}].");
        if (!train.EventShape.SequenceEqual(inputShape) || !test.EventShape.SequenceEqual(inputShape))
            throw new InvalidInputException($"the splits are [{string.Join(", ", train.EventShape)}] and [{string.Join(", ", test.EventShape)}], " +
                $"not the input shape [{string.Join(", ", inputShape)}].");
        if (classes < 2 || LargestLabel(train) >= classes || LargestLabel(test) >= classes)
            throw new InvalidInputException($"labels must index {classes} classes (at least 2).");
        var clock = Stopwatch.StartNew();
        FeatureClassifier network;
        lock (Runtime.GlobalRandom.Lock)
        {
            manual_seed(seed);
            network = new FeatureClassifier((int)inputShape[0], (int)inputShape[1], classes);
        }
        network.to(device);
        using var parameters = new FlatParameters(network.parameters());
        using var optimizer = new FlatAdam(parameters, learningRate);
        long count = train.Count;
        double accuracy = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            network.train();
            using var orderGenerator = new Generator((ulong)(seed + 1 + epoch));
            using Tensor order = randperm(count, generator: orderGenerator);
            double lossSum = 0;
            int batches = 0;
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                Tensor index = order.narrow(0, start, Math.Min(batchSize, count - start));
                Tensor x = train.Examples.index_select(0, index).to(device);
                Tensor y = train.Labels.index_select(0, index).to(device);
                optimizer.ZeroGrad();
                Tensor loss = nn.functional.cross_entropy(network.forward(x), y);
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>();
                batches++;
            }
            accuracy = Accuracy(network, test, device);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch + 1}: train loss {lossSum / batches:F4}, test accuracy {accuracy:P2} ({clock.Elapsed.TotalSeconds:F0} s)"));
        }
        network.cpu();
        network.eval();
        return new FeatureClassifierResult(network, accuracy, clock.Elapsed.TotalSeconds);
    }

    private static long LargestLabel(TensorDataset split)
    {
        using Tensor largest = split.Labels!.max();
        return largest.item<long>();
    }

    /// <summary>Share of correctly classified images of <paramref name="test"/>.</summary>
    public static double Accuracy(FeatureClassifier network, TensorDataset test, Device device)
    {
        network.eval();
        using var noGrad = no_grad();
        long correct = 0;
        for (long start = 0; start < test.Count; start += 1000)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(1000, test.Count - start);
            Tensor predicted = network.forward(test.Examples.narrow(0, start, n).to(device)).argmax(1).cpu();
            correct += (predicted == test.Labels!.narrow(0, start, n)).sum().item<long>();
        }
        return (double)correct / test.Count;
    }
}

/// <summary>A trained feature network, its final test accuracy and the training time.</summary>
public sealed record FeatureClassifierResult(FeatureClassifier Network, double TestAccuracy, double Seconds);
