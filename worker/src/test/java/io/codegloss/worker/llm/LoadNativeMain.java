package io.codegloss.worker.llm;

/** Child process of {@link NativeLoadOutputTest}: loads llama.cpp's library the way workers do. */
public final class LoadNativeMain {

  private LoadNativeMain() {}

  public static void main(String[] args) {
    EmbeddedModel.loadNative();
    System.out.print("loaded");
  }
}
