package io.raftboot.core.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileStorageContractTest extends StorageContractTest {

    @TempDir
    Path dir;

    @Override
    protected Storage openEmpty() {
        FileStorage file = new FileStorage(dir.resolve("data"), "n1", "c1");
        file.load();
        return file;
    }

    /** Reads back through a second, independent instance, then keeps writing through it. */
    @Override
    protected PersistentState reloaded() {
        storage.close();
        storage = new FileStorage(dir.resolve("data"), "n1", "c1");
        return storage.load();
    }
}
