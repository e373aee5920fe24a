export default function Page() {
  return <p>calhook dev-tools test app</p>;
}
