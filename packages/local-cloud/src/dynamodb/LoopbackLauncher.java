// Starts DynamoDB Local as its own main class does, with its Jetty connector
// bound to 127.0.0.1: the jar has no option for the host and listens on every
// interface otherwise. Run as a source file (java -cp DynamoDBLocal.jar LoopbackLauncher.java ...).
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackLauncher {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector) ((ServerConnector) c).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
