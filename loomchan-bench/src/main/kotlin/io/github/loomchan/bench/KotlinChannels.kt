package io.github.loomchan.bench

import java.util.concurrent.Executor
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select

/**
 * The kotlinx-coroutines peer: the same workloads as the Java drivers (Workloads), written with coroutines on
 * Dispatchers.Default (one thread per core) unless an executor is given. (Compiled before the Java sources, so it
 * cannot use them: it has its own item object.) Channels are made once, by the
 * constructor, like the JVM peers' channels; every workload moves a known number of items and leaves them empty.
 *
 * Capacity: 0 is a rendezvous channel, Int.MAX_VALUE is Channel.UNLIMITED, anything else is buffered.
 * Not thread-safe as an object: one benchmark thread calls it at a time.
 */
class KotlinChannels(count: Int, capacity: Int) {
    private val channels: Array<Channel<Any>> = Array(count) { Channel<Any>(capacity) }

    /** One producer coroutine, one consumer coroutine, on channels[0]. */
    fun pair(items: Int) = pairOn(Dispatchers.Default, items)

    /** As pair, on a dispatcher made from [executor] (the async-pipeline row). */
    fun pair(items: Int, executor: Executor) = pairOn(executor.asCoroutineDispatcher(), items)

    private fun pairOn(dispatcher: CoroutineDispatcher, items: Int) = runBlocking(dispatcher) {
        val channel = channels[0]
        launch { repeat(items) { channel.send(ITEM) } }
        launch { repeat(items) { check(channel.receive() === ITEM) } }
        Unit
    }

    /** [parties] producers and [parties] consumers on channels[0], [itemsEach] items each. */
    fun mpmc(parties: Int, itemsEach: Int) = runBlocking(Dispatchers.Default) {
        val channel = channels[0]
        repeat(parties) {
            launch { repeat(itemsEach) { channel.send(ITEM) } }
            launch { repeat(itemsEach) { check(channel.receive() === ITEM) } }
        }
    }

    /** A chain through every channel: each item takes channels.size hops. */
    fun chain(items: Int) = runBlocking(Dispatchers.Default) {
        launch { repeat(items) { channels[0].send(ITEM) } }
        for (i in 0 until channels.size - 1) {
            val input = channels[i]
            val output = channels[i + 1]
            launch { repeat(items) { output.send(input.receive()) } }
        }
        launch { repeat(items) { check(channels[channels.size - 1].receive() === ITEM) } }
        Unit
    }

    /** A producer and a consumer per channel, [itemsEach] items each, all at once. */
    fun pairs(itemsEach: Int) = runBlocking(Dispatchers.Default) {
        for (channel in channels) {
            launch { repeat(itemsEach) { channel.send(ITEM) } }
            launch { repeat(itemsEach) { check(channel.receive() === ITEM) } }
        }
    }

    /** A producer per channel ([itemsEach] each); one consumer selects over all channels. */
    fun select(itemsEach: Int) = runBlocking(Dispatchers.Default) {
        for (channel in channels) {
            launch { repeat(itemsEach) { channel.send(ITEM) } }
        }
        launch {
            repeat(itemsEach * channels.size) {
                val item = select<Any> { for (channel in channels) channel.onReceive { it } }
                check(item === ITEM)
            }
        }
        Unit
    }

    /** The uncontended fast path: trySend then tryReceive on channels[0], from the calling thread. */
    fun offerPoll(): Any? {
        val channel = channels[0]
        channel.trySend(ITEM)
        return channel.tryReceive().getOrNull()
    }

    private companion object {
        val ITEM: Any = Any()
    }
}
