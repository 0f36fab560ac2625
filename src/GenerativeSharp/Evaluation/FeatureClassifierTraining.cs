using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The recipe of the feature networks: Adam 1e-3, batch 128, cross-entropy, seeded initialisation and
/// epoch order, grayscale images in [0, 1] (no augmentation). Reports test accuracy after each epoch.
/// </summary>
public static class FeatureClassifierTraining
{
    public static FeatureClassifierResult Train(DataSplits data, int epochs, long seed, Device device, TextWriter log,
        int batchSize = 128, double learningRate = 1e-3)
    {
        if (data.Train.Labels is null || data.Test.Labels is null)
            throw new InvalidInputException($"{data.Spec} has no class labels; the feature network is a classifier.");
        if (!data.EventShape.SequenceEqual(new long[] { 1, 28, 28 }))
            throw new InvalidInputException($"the feature network takes 28x28 grayscale images; {data.Spec} has [{string.Join(", ", data.EventShape)}].");
        var clock = Stopwatch.StartNew();
        FeatureClassifier network;
        lock (Runtime.GlobalRandom.Lock)
        {
            manual_seed(seed);
            network = new FeatureClassifier();
        }
        network.to(device);
        using var parameters = new FlatParameters(network.parameters());
        using var optimizer = new FlatAdam(parameters, learningRate);
        long count = data.Train.Count;
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
                Tensor x = data.Train.Examples.index_select(0, index).to(device);
                Tensor y = data.Train.Labels.index_select(0, index).to(device);
                optimizer.ZeroGrad();
                Tensor loss = nn.functional.cross_entropy(network.forward(x), y);
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>();
                batches++;
            }
            accuracy = Accuracy(network, data.Test, device);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch + 1}: train loss {lossSum / batches:F4}, test accuracy {accuracy:P2} ({clock.Elapsed.TotalSeconds:F0} s)"));
        }
        network.cpu();
        network.eval();
        return new FeatureClassifierResult(network, accuracy, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Share of correctly classified test images.</summary>
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
